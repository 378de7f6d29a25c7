using GatewayStorage.Portability;

namespace GatewayStorage.Cli.Output;

/// <summary>Feeds a copy's, export's or import's <see cref="CopyProgress"/> to the progress display.</summary>
internal sealed class CopyProgressAdapter(IProgress<TableProgress> sink) : IProgress<CopyProgress>
{
    public void Report(CopyProgress value) => sink.Report(new TableProgress(value.Table, value.Rows, value.Completed));
}
