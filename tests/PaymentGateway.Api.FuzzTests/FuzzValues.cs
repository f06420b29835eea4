using System.Globalization;
using System.Text;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>
/// The hostile values, as raw JSON text (so a value JSON can carry but .NET strings cannot, such as a lone surrogate
/// escape or a number beyond any integer type, is sent exactly), and as raw URL text for path and query values.
/// </summary>
public static class FuzzValues
{
    /// <summary>Values of the wrong type for any slot.</summary>
    public static readonly string[] AnyType =
    [
        "null", "\"fuzz\"", "0", "-1", "1.5", "true", "false", "[]", "{}", "[null]", "{\"k\":null}", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":{}}}}",
    ];

    public static readonly string[] Strings =
    [
        "\"\"", "\" \"", "\"\\t\\n\"", Json(new string('x', 20_000)), Json(new string('y', 70_000)),
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0001\\u001f\\u007f\"",
        "\"\u202e\u200b\u2028\u2029\"", "\"💳🙂👩‍👩‍👧\"", "\"e\u0301\u0338\u20dd\"", "\"日本語テキスト\"", "\"\uFFFD\uFFFF\"",
        "\"' OR '1'='1\"", "\"\\\"; DROP TABLE payments; --\"", "\"<script>alert(1)</script>\"", "\"../../../../etc/passwd\"",
        "\"%00\"", "\"%s%n%x\"", "\"{{REF}}\"", "\"${jndi:ldap://127.0.0.1/x}\"",
        "\"http://[::1\"", "\"javascript:alert(1)\"", "\"https://\"", "\"http://127.0.0.1:1/x\"", "\"file:///etc/passwd\"", "\"//evil.example\"",
        "\"not-a-date\"", "\"2026-13-45T25:61:61Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-02-30\"",
        "\"1700000000\"", "\"-0\"", "\"NaN\"", "\"1e309\"",
        "\"pay_\"", "\"pay_00000000000000000000000000000\"", "\"pm_does_not_exist\"", Json("pay_" + new string('0', 3000)),
        "\"EUR\\u0000\"", "\"eur\"", "\"XXX\"",
    ];

    public static readonly string[] DateTimes =
    [
        "\"not-a-date\"", "\"2026-13-45T25:61:61Z\"", "\"0001-01-01T00:00:00+14:00\"", "\"9999-12-31T23:59:59-14:00\"", "\"2026-02-30T00:00:00Z\"",
        "\"\"", "\"1700000000\"", "\"2026-01-01T00:00:00\"", "\"2026-01-01\"", "\"T\"", "\"2026-01-01T00:00:00+99:99\"", Json(new string('9', 5000)),
    ];

    public static readonly string[] Integers =
    [
        "0", "-1", "1", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "-9223372036854775809", "99999999999999999999999999", "1e3", "1.0", "1e400", "-0", "\"1\"", "0.0000001",
    ];

    public static readonly string[] Booleans = ["\"true\"", "1", "0", "\"yes\"", "\"false\""];

    public static readonly string[] Arrays =
    [
        "[]", "[null]", "[null,null]", "[1]", "[\"x\"]", "[[]]", "[{}]", "[\"x\",null]", "[true]",
        "[" + string.Join(',', Enumerable.Repeat("\"x\"", 1000)) + "]", "[" + string.Join(',', Enumerable.Repeat("null", 500)) + "]",
    ];

    public static readonly string[] Objects = ["{}", "[]", "\"x\"", "{\"zz_unknown\":1}", "{\"\":null}"];

    public static readonly string[] Maps =
    [
        "{}", "{\"k\":null}", "{\"k\":1}", "{\"k\":{}}", "{\"k\":[]}", "{\"k\":true}", "{\"\":\"v\"}", "{\"k\\u0000\":\"v\"}",
        "{\"k\":\"\\ud800\"}", "{\"k\":\"\\u0000\"}", "{" + Json(new string('k', 5000)) + ":\"v\"}", "{\"k\":" + Json(new string('v', 60_000)) + "}",
        "{" + string.Join(',', Enumerable.Range(0, 200).Select(i => $"\"k{i}\":\"v\"")) + "}", "{\"k\":\"v\",\"k\":null}", "{\"api_key\":null,\"webhook_secret\":null}",
    ];

    /// <summary>Whole bodies that are not the JSON object the operation reads.</summary>
    public static readonly string[] Bodies =
    [
        "", " ", "null", "[]", "42", "\"s\"", "true", "{", "}", "{\"a\":}", "{}}", "{\"a\":1,}", "{'a':1}", "{\"a\":1}/*c*/", "{\"a\" 1}",
        "{\"a\":1}{\"b\":2}", "{\"a\":\"\\x\"}", "{\"a\":\"unterminated}", "\u0000", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}",
        new string('[', 10_000) + new string(']', 10_000), "{\"a\":" + new string('[', 200) + new string(']', 200) + "}",
        new string('{', 3_000), "<xml/>", "a=1&b=2", new string('z', 80_000),
    ];

    /// <summary>Content types sent with an otherwise valid body.</summary>
    public static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "text/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
        "application/json; charset=latin1", "application/jsonx", "*/*", "application/problem+json", "APPLICATION/JSON", "application/json;;;", "x",
    ];

    /// <summary>XML and other raw bodies for operations that take a non-JSON body.</summary>
    public static readonly string[] RawBodies =
    [
        "", "<", "<Document/>", "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"/>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Document>&e;</Document>",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Document>&c;</Document>",
        "<?xml version=\"1.0\"?><?xml-stylesheet href=\"x.xsl\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt/></Document>",
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><BkToCstmrDbtCdtNtfctn/></Document>",
        "<Document>" + new string('<', 5_000) + "</Document>", string.Concat(Enumerable.Repeat("<a>", 5_000)), "\u0000\u0001", "{\"type\":\"payment\"}",
        "{\"id\":\"evt_1\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":null}}", "{\"notificationItems\":[null]}", "[]", "null",
    ];

    /// <summary>Path segment values, already URL-encoded as they go on the wire.</summary>
    public static readonly string[] PathSegments =
    [
        "x", "pay_", "pay_00000000000000000000000000000", "zz_00000000000000000000000000000", new string('a', 3_000), "%F0%9F%92%B3", "%C3%28",
        "%2F", "..", "%2e%2e", "a%20b", "%25", "'", "%3Cscript%3E", "%E2%80%AE", "-1", "0", "null", "%7B%7D", "%5B%5D",
    ];

    /// <summary>Path segment values Kestrel itself may reject before the application runs (then only a Request-Id is asked of it).</summary>
    public static readonly string[] ServerLevelPathSegments = ["%00", "a%00b"];

    /// <summary>Query values, already URL-encoded.</summary>
    public static readonly string[] QueryValues =
    [
        "", "abc", "-1", "0", "1", "100", "101", "1.5", "99999999999999999999", "%00", "%C3%28", "%F0%9F%92%B3", new string('a', 3_000),
        "pay_", "evt_00000000000000000000000000000", "2026-13-45", "not-a-date", "1e10", "true", "TRUE", "%20", "%2F..%2F", "null", "%5B%5D",
        "0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00", "253402300800", "-62135596801",
    ];

    public static string Json(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }
}
