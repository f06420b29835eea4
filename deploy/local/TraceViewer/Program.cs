namespace PaymentGateway.TraceViewer;

public static class Program
{
    public static Task Main(string[] args) => TraceViewerApp.Create(args).RunAsync();
}
