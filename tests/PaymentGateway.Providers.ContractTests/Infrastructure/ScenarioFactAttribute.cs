using Xunit.Abstractions;
using Xunit.Sdk;

namespace PaymentGateway.Providers.ContractTests.Infrastructure;

/// <summary>
/// A fact that a provider fixture may declare it cannot express: throwing <see cref="ScenarioSkippedException"/>
/// reports the test as skipped with the fixture's reason instead of a silent pass.
/// </summary>
[XunitTestCaseDiscoverer("PaymentGateway.Providers.ContractTests.Infrastructure.ScenarioFactDiscoverer", "PaymentGateway.Providers.ContractTests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ScenarioFactAttribute : FactAttribute;

/// <summary>Thrown by a scenario whose fixture declares the needed feature unsupported.</summary>
public sealed class ScenarioSkippedException(string reason) : Exception(reason);

/// <summary>Discovers <see cref="ScenarioFactAttribute"/> tests.</summary>
public sealed class ScenarioFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        [new ScenarioTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod)];
}

/// <summary>A test case that reports <see cref="ScenarioSkippedException"/> as skipped.</summary>
public sealed class ScenarioTestCase : XunitTestCase
{
    /// <summary>For the deserializer.</summary>
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public ScenarioTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    public ScenarioTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, options, testMethod)
    {
    }

    /// <inheritdoc />
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments,
        ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        using var bus = new SkippingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        if (bus.Skipped > 0)
        {
            summary.Failed -= bus.Skipped;
            summary.Skipped += bus.Skipped;
        }

        return summary;
    }

    private sealed class SkippingMessageBus(IMessageBus inner) : IMessageBus
    {
        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == typeof(ScenarioSkippedException).FullName)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "unsupported"));
            }

            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
