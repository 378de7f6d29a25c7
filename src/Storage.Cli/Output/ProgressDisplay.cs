using System.Diagnostics;
using Spectre.Console;

namespace GatewayStorage.Cli.Output;

/// <summary>
/// Shows table-by-table progress: a Spectre progress bar per table (rows, rows/s, ETA) on a terminal, plain lines when
/// the output is redirected (a log, a pipe, a test).
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, showing the progress it reports.</summary>
    /// <param name="verb">What is done to a table, for plain lines (<c>copied</c>, <c>re-encrypted</c>).</param>
    /// <param name="totals">Expected rows per table, for the bar and the ETA; a table without one shows an indeterminate bar.</param>
    /// <param name="work">The work, given the sink for its progress.</param>
    public static Task<T> RunAsync<T>(string verb, IReadOnlyDictionary<string, long> totals, Func<IProgress<TableProgress>, Task<T>> work) =>
        Console.IsOutputRedirected ? RunPlainAsync(verb, work) : RunLiveAsync(totals, work);

    private static async Task<T> RunPlainAsync<T>(string verb, Func<IProgress<TableProgress>, Task<T>> work)
    {
        var sink = new PlainProgress(verb);
        return await work(sink).ConfigureAwait(false);
    }

    private static Task<T> RunLiveAsync<T>(IReadOnlyDictionary<string, long> totals, Func<IProgress<TableProgress>, Task<T>> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new RowsColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new LiveProgress(context, totals)));

    /// <summary>Plain lines: one when a table is done, and one every few seconds while a large table runs.</summary>
    private sealed class PlainProgress(string verb) : IProgress<TableProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private readonly Lock _lock = new();
        private string? _table;
        private long _started;
        private long _lastLine;

        public void Report(TableProgress value)
        {
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                if (value.Table != _table)
                {
                    (_table, _started, _lastLine) = (value.Table, now, now);
                }

                var elapsed = Stopwatch.GetElapsedTime(_started, now);
                var rate = elapsed.TotalSeconds > 0 ? value.Rows / elapsed.TotalSeconds : 0;
                if (value.Completed)
                {
                    Console.Out.WriteLine($"{value.Table}: {value.Rows:N0} rows {verb} in {elapsed.TotalSeconds:0.0} s ({rate:N0} rows/s)");
                }
                else if (Stopwatch.GetElapsedTime(_lastLine, now) >= Interval)
                {
                    _lastLine = now;
                    Console.Out.WriteLine($"{value.Table}: {value.Rows:N0} rows so far ({rate:N0} rows/s)");
                }
            }
        }
    }

    /// <summary>A Spectre task per table, started when the table starts.</summary>
    private sealed class LiveProgress(ProgressContext context, IReadOnlyDictionary<string, long> totals) : IProgress<TableProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public void Report(TableProgress value)
        {
            lock (_lock)
            {
                if (!_tasks.TryGetValue(value.Table, out var task))
                {
                    var total = totals.GetValueOrDefault(value.Table);
                    task = context.AddTask(Markup.Escape(value.Table), autoStart: true, maxValue: Math.Max(total, 1));
                    task.IsIndeterminate = total == 0;
                    _tasks.Add(value.Table, task);
                }

                if (value.Rows > task.MaxValue)
                {
                    task.MaxValue = value.Rows;
                }

                task.Value = value.Rows;
                if (value.Completed)
                {
                    task.IsIndeterminate = false;
                    task.MaxValue = Math.Max(value.Rows, 1);
                    task.Value = task.MaxValue;

                    // The bar of an empty table is full, but its count says 0.
                    task.Tag = value.Rows;
                    task.StopTask();
                }
            }
        }
    }
}
