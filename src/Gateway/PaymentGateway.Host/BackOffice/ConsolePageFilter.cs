using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// Runs around every console page handler: sends a user who must enrol a second factor to the enrolment page first,
/// turns a form field refusal into a message next to that field (status 400, nothing changed), and a service's
/// refusal into an HTML page with the right status (403, 404, 409, …) instead of an API problem document.
/// </summary>
public sealed class ConsolePageFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (http.ConsoleUser() is { } user && ConsoleSession.NeedsEnrolment(user)
            && !context.ActionDescriptor.ModelTypeInfo?.IsDefined(typeof(AllowDuringEnrolmentAttribute), inherit: false) == true)
        {
            context.Result = new RedirectResult("/console/two-factor/setup");
            return;
        }

        var executed = await next();
        switch (executed.Exception)
        {
            case ConsoleValidationException invalid when executed.HandlerInstance is ConsolePageModel page:
                executed.ExceptionHandled = true;
                page.AddFieldError(invalid.Field, invalid.Message);
                await page.LoadAsync();
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                executed.Result = new PageResult();
                break;
            case GatewayException refused:
                executed.ExceptionHandled = true;
                var status = Infrastructure.Problems.StatusFor(refused.Kind);
                executed.Result = ConsoleProblemPage.Render(status, Infrastructure.Problems.TitleFor(refused.Kind), refused.Message);
                break;
        }
    }
}

/// <summary>A plain console page for a refusal: status, title, what happened, a way back.</summary>
public static class ConsoleProblemPage
{
    public static ContentResult Render(int status, string title, string message)
    {
        static string E(string value) => System.Net.WebUtility.HtmlEncode(value);
        return new ContentResult
        {
            StatusCode = status,
            ContentType = "text/html; charset=utf-8",
            Content = $"""
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
                <title>{E(title)} - PaymentGateway console</title><link rel="stylesheet" href="/console/assets/console.css"></head>
                <body><main id="main" class="narrow problem"><h1>{E(title)}</h1><p id="problem-message">{E(message)}</p>
                <p><a href="/console">Back to the console</a></p></main></body>
                </html>
                """,
        };
    }
}
