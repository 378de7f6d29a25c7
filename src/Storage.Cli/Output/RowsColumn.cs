using Spectre.Console;
using Spectre.Console.Rendering;

namespace GatewayStorage.Cli.Output;

/// <summary>A progress column: rows done (of the expected total) and rows per second.</summary>
internal sealed class RowsColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        if (task.Tag is long done)
        {
            return new Text($"{done:N0} rows");
        }

        var rows = task.IsIndeterminate ? $"{task.Value:N0} rows" : $"{task.Value:N0}/{task.MaxValue:N0} rows";
        var speed = task.Speed is { } perSecond ? $"{perSecond:N0} rows/s" : "";
        return new Text($"{rows} {speed}".TrimEnd());
    }
}
