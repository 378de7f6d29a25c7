using System.Collections.Concurrent;
using System.Text;
using Npgsql;

namespace GatewayStorage.Postgres;

/// <summary>
/// A statement's SQL with its <c>@name</c> placeholders rewritten once to PostgreSQL's <c>$1…$n</c>. A command whose
/// parameters are unnamed and in placeholder order runs in Npgsql's raw mode, which sends the text as is; with named
/// parameters Npgsql would parse and rewrite the SQL on every execution (a new string and a parse per call on the
/// hot paths). Texts this conservative rewriter does not understand keep Npgsql's named mode.
/// </summary>
internal sealed class PositionalSql
{
    // The library's statements are a few dozen fixed texts (plus a few filter combinations); anything beyond is rewritten uncached.
    private const int MaxCachedTexts = 512;

    private static readonly ConcurrentDictionary<string, PositionalSql?> Cache = new(StringComparer.Ordinal);

    private readonly string[] _names;

    private PositionalSql(string text, string[] names)
    {
        Text = text;
        _names = names;
    }

    /// <summary>The SQL with <c>$1…$n</c> in place of the named placeholders.</summary>
    public string Text { get; }

    /// <summary>The placeholder names in position order: <c>$1</c> is the first.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>
    /// The rewrite of <paramref name="sql"/>, or <see langword="null"/> when it has no placeholders or holds something the
    /// rewriter leaves to Npgsql (several statements, dollar quoting, escape strings, positional placeholders).
    /// </summary>
    public static PositionalSql? For(string sql)
    {
        if (Cache.TryGetValue(sql, out var cached))
        {
            return cached;
        }

        var rewritten = Rewrite(sql);
        if (Cache.Count < MaxCachedTexts)
        {
            Cache.TryAdd(sql, rewritten);
        }

        return rewritten;
    }

    /// <summary>
    /// Switches <paramref name="command"/> to positional form when its parameters are exactly the placeholders of its
    /// SQL (each bound once, by name). Otherwise the command is left as it is and Npgsql handles it in named mode.
    /// </summary>
    public static void Apply(NpgsqlCommand command)
    {
        var parameters = command.Parameters;
        if (parameters.Count == 0 || For(command.CommandText) is not { } positional || positional._names.Length != parameters.Count)
        {
            return;
        }

        var names = positional._names;
        Span<int> order = names.Length <= 32 ? stackalloc int[names.Length] : new int[names.Length];
        for (var position = 0; position < names.Length; position++)
        {
            var index = IndexOf(parameters, names[position]);
            if (index < 0)
            {
                return;
            }

            order[position] = index;
        }

        var inPlaceholderOrder = true;
        for (var position = 0; position < order.Length; position++)
        {
            inPlaceholderOrder &= order[position] == position;
        }

        if (!inPlaceholderOrder)
        {
            var bound = new NpgsqlParameter[order.Length];
            for (var position = 0; position < order.Length; position++)
            {
                bound[position] = parameters[order[position]];
            }

            parameters.Clear();
            foreach (var parameter in bound)
            {
                parameters.Add(parameter);
            }
        }

        foreach (NpgsqlParameter parameter in parameters)
        {
            parameter.ParameterName = string.Empty;
        }

        command.CommandText = positional.Text;
    }

    private static int IndexOf(NpgsqlParameterCollection parameters, string name)
    {
        var found = -1;
        for (var index = 0; index < parameters.Count; index++)
        {
            if (string.Equals(parameters[index].ParameterName, name, StringComparison.OrdinalIgnoreCase))
            {
                if (found >= 0)
                {
                    return -1;
                }

                found = index;
            }
        }

        return found;
    }

    private static PositionalSql? Rewrite(string sql)
    {
        var text = new StringBuilder(sql.Length);
        var names = new List<string>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            switch (c)
            {
                case '\'' or '"':
                    var close = sql.IndexOf(c, i + 1);
                    if (close < 0 || (c == '\'' && i > 0 && sql[i - 1] is 'E' or 'e'))
                    {
                        return null;
                    }

                    // A doubled quote inside is an escaped quote: the loop continues after it as a new quoted run.
                    text.Append(sql, i, close - i + 1);
                    i = close + 1;
                    continue;
                case '-' when i + 1 < sql.Length && sql[i + 1] == '-':
                    var lineEnd = sql.IndexOf('\n', i);
                    lineEnd = lineEnd < 0 ? sql.Length : lineEnd;
                    text.Append(sql, i, lineEnd - i);
                    i = lineEnd;
                    continue;
                case '/' when i + 1 < sql.Length && sql[i + 1] == '*':
                    var commentEnd = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (commentEnd < 0 || sql.IndexOf("/*", i + 2, commentEnd - i - 2, StringComparison.Ordinal) >= 0)
                    {
                        return null;
                    }

                    text.Append(sql, i, commentEnd + 2 - i);
                    i = commentEnd + 2;
                    continue;
                case ';' or '$':
                    return null;
                case '@' when i + 1 < sql.Length && IsNameStart(sql[i + 1]) && (i == 0 || !IsNamePart(sql[i - 1])):
                    var end = i + 1;
                    while (end < sql.Length && IsNamePart(sql[end]))
                    {
                        end++;
                    }

                    var name = sql[(i + 1)..end];
                    var position = names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
                    if (position < 0)
                    {
                        names.Add(name);
                        position = names.Count - 1;
                    }

                    text.Append('$').Append(position + 1);
                    i = end;
                    continue;
                default:
                    text.Append(c);
                    i++;
                    continue;
            }
        }

        return names.Count == 0 ? null : new PositionalSql(text.ToString(), [.. names]);
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNamePart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
