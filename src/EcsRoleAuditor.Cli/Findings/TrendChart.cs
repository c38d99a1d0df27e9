using System.Globalization;
using System.Text;

namespace EcsRoleAuditor.Cli.Findings;

/// <summary>
/// The findings opened and resolved per day as an inline SVG bar chart: two bars a day, a y axis with whole-number
/// ticks, dates under the x axis, a legend. Drawn here so the page needs no script and no download; everything in it
/// is numbers and dates this code writes, never text from the store.
/// </summary>
internal static class TrendChart
{
    private const int Width = 720, Height = 260;
    private const int Left = 44, Right = 12, Top = 28, Bottom = 44;
    private const string OpenedColour = "#c0392b", ResolvedColour = "#1e8449";

    public static string Svg(IReadOnlyList<TrendDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        var svg = new StringBuilder();
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var (top, step) = Scale(days.Count == 0 ? 0 : days.Max(d => Math.Max(d.Opened, d.Resolved)));
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"trend-title\">"));
        svg.Append("<title id=\"trend-title\">Findings opened and resolved per day (UTC)</title>");
        // Grid lines and y labels.
        for (var value = 0L; value <= top; value += step)
        {
            var y = Top + plotHeight - (double)value / top * plotHeight;
            svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#ddd\" stroke-width=\"1\"/>"));
            svg.Append(Invariant($"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\">{value}</text>"));
        }
        svg.Append(Invariant($"<text x=\"12\" y=\"{Top + plotHeight / 2}\" transform=\"rotate(-90 12 {Top + plotHeight / 2})\" text-anchor=\"middle\" font-size=\"11\">findings</text>"));
        if (days.Count > 0)
        {
            var slot = (double)plotWidth / days.Count;
            var bar = Math.Max(1, slot * 0.38);
            // About eight dates, counted back from the newest day so that today always has its label.
            var labelEvery = Math.Max(1, (int)Math.Ceiling(days.Count / 8.0));
            for (var i = 0; i < days.Count; i++)
            {
                var day = days[i];
                var x = Left + i * slot + (slot - 2 * bar) / 2;
                Bar(svg, x, day.Opened, bar, top, plotHeight, OpenedColour, $"{day.Day:yyyy-MM-dd}: {day.Opened} opened");
                Bar(svg, x + bar, day.Resolved, bar, top, plotHeight, ResolvedColour, $"{day.Day:yyyy-MM-dd}: {day.Resolved} resolved");
                if ((days.Count - 1 - i) % labelEvery == 0)
                {
                    svg.Append(Invariant($"<text x=\"{Left + (i + 0.5) * slot:0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\" font-size=\"11\">{day.Day:MM-dd}</text>"));
                }
            }
        }
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Width - Right}\" y2=\"{Top + plotHeight}\" stroke=\"#333\" stroke-width=\"1\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"#333\" stroke-width=\"1\"/>"));
        svg.Append(Invariant($"<text x=\"{Left + plotWidth / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\" font-size=\"11\">day (UTC)</text>"));
        // Legend.
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{OpenedColour}\"/><text x=\"{Left + 16}\" y=\"18\" font-size=\"12\">opened</text>"));
        svg.Append(Invariant($"<rect x=\"{Left + 80}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{ResolvedColour}\"/><text x=\"{Left + 96}\" y=\"18\" font-size=\"12\">resolved</text>"));
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Bar(StringBuilder svg, double x, long value, double width, long top, int plotHeight, string colour, string label)
    {
        if (value <= 0)
        {
            return;
        }
        var height = (double)value / top * plotHeight;
        svg.Append(Invariant($"<rect x=\"{x:0.##}\" y=\"{Top + plotHeight - height:0.##}\" width=\"{width:0.##}\" height=\"{height:0.##}\" fill=\"{colour}\"><title>{label}</title></rect>"));
    }

    /// <summary>The axis' top and tick step: whole numbers, at most about five ticks, the top at least the largest value.</summary>
    internal static (long Top, long Step) Scale(long largest)
    {
        if (largest <= 0)
        {
            return (1, 1);
        }
        var step = 1L;
        foreach (var candidate in new long[] { 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000 })
        {
            step = candidate;
            if (largest / candidate <= 5)
            {
                break;
            }
        }
        while (largest / step > 5)
        {
            step *= 10;
        }
        var top = (largest + step - 1) / step * step;
        return (top, step);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
