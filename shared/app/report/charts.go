package report

import (
	"bytes"
	"fmt"
	"image/png"
	"math"

	"github.com/go-analyze/charts"
)

// The charts are PNGs with no words in them, only numbers, months and grade
// letters: the embedded chart font has no CJK glyphs, and titles, captions
// and the legend are better in the mail's HTML anyway, in its language.

func chartTheme(series []string) charts.ColorPalette {
	colors := make([]charts.Color, len(series))
	for i, c := range series {
		colors[i] = charts.ColorFromHex(c[1:])
	}
	return charts.MakeTheme(charts.ThemeOption{
		AxisStrokeColor:    charts.ColorFromHex("9ca3af"),
		AxisSplitLineColor: charts.ColorFromHex("e5e7eb"),
		BackgroundColor:    charts.ColorFromHex("ffffff"),
		TextColor:          charts.ColorFromHex("374151"),
		SeriesColors:       colors,
	})
}

// histogramPNG draws one bar per grade band, each in its grade's colour
// (one stacked series per band, zero elsewhere, so that each bar gets its
// own colour), with the count above it.
func histogramPNG(labels []string, counts []int, colors []string) ([]byte, error) {
	n := len(labels)
	values := make([][]float64, n)
	maxCount := 0
	for i := range n {
		values[i] = make([]float64, n)
		values[i][i] = float64(counts[i])
		maxCount = max(maxCount, counts[i])
	}
	opt := charts.NewBarChartOptionWithData(values)
	opt.Theme = chartTheme(colors)
	opt.Padding = charts.NewBox(12, 16, 16, 8)
	opt.StackSeries = charts.Ptr(true)
	opt.BarSize = 0.55
	opt.CategoryAxis.Labels = labels
	opt.CategoryAxis.LabelFontStyle = charts.FontStyle{FontSize: 11}
	top := float64(niceMax(maxCount))
	opt.ValueAxis = []charts.ValueAxisOption{{
		Min:            charts.Ptr(0.0),
		Max:            &top,
		Unit:           unitFor(top),
		LabelFontStyle: charts.FontStyle{FontSize: 10},
		ValueFormatter: func(f float64) string { return trimNum(math.Round(f)) },
	}}
	for i := range opt.SeriesList {
		if counts[i] == 0 {
			continue
		}
		opt.SeriesList[i].Label = charts.SeriesLabel{
			Show:      charts.Ptr(true),
			FontStyle: charts.FontStyle{FontSize: 12, FontColor: charts.ColorFromHex("111827")},
			// Only the band's own bar: the series is zero elsewhere.
			LabelFormatter: func(_ int, _ string, f float64) (string, *charts.LabelStyle) {
				if f == 0 {
					return "", nil
				}
				return trimNum(f), nil
			},
		}
	}
	opt.Legend.Show = charts.Ptr(false)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: chartWidth, Height: chartHeight})
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("grade histogram: %w", err)
	}
	return pngBytes(p)
}

// niceMax is the y-axis top for counts: at least 4, so that small teams
// get whole-number ticks.
func niceMax(n int) int {
	if n < 4 {
		return 4
	}
	return n + 1
}

func unitFor(top float64) float64 {
	switch {
	case top <= 10:
		return 1
	case top <= 20:
		return 2
	}
	return math.Ceil(top / 10)
}

// trendLine is one line of the trend chart; NaN is a month without a
// composite.
type trendLine struct {
	Values []float64
	Color  string
}

// trendPNG draws the composites over the months, with the pass mark as a
// grey line.
func trendPNG(months []string, lines []trendLine, passMark float64) ([]byte, error) {
	lo := passMark
	values := make([][]float64, 0, len(lines)+1)
	colors := make([]string, 0, len(lines)+1)
	for _, l := range lines {
		row := make([]float64, len(l.Values))
		for i, v := range l.Values {
			if math.IsNaN(v) {
				row[i] = charts.GetNullValue()
				continue
			}
			row[i] = v
			lo = math.Min(lo, v)
		}
		values = append(values, row)
		colors = append(colors, l.Color)
	}
	pass := make([]float64, len(months))
	for i := range pass {
		pass[i] = passMark
	}
	values = append(values, pass)
	colors = append(colors, "#9ca3af")

	opt := charts.NewLineChartOptionWithData(values)
	opt.Theme = chartTheme(colors)
	opt.Padding = charts.NewBox(12, 16, 20, 8)
	opt.XAxis.Labels = months
	opt.XAxis.LabelFontStyle = charts.FontStyle{FontSize: 11}
	opt.XAxis.BoundaryGap = charts.Ptr(true)
	opt.XAxis.LabelCount = len(months)
	bottom := math.Max(0, math.Floor((lo-5)/10)*10)
	opt.YAxis = []charts.YAxisOption{{
		Min:            &bottom,
		Max:            charts.Ptr(100.0),
		Unit:           10,
		LabelFontStyle: charts.FontStyle{FontSize: 10},
		ValueFormatter: func(f float64) string { return trimNum(math.Round(f)) },
	}}
	opt.LineStrokeWidth = 2.5
	opt.Symbol = charts.Symbol{Shape: charts.SymbolCircle, Size: 3}
	last := len(opt.SeriesList) - 1
	opt.SeriesList[last].Symbol = charts.Symbol{Shape: charts.SymbolNone}
	opt.Legend.Show = charts.Ptr(false)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: chartWidth, Height: chartHeight})
	if err := p.LineChart(opt); err != nil {
		return nil, fmt.Errorf("composite trend: %w", err)
	}
	return pngBytes(p)
}

func pngBytes(p *charts.Painter) ([]byte, error) {
	b, err := p.Bytes()
	if err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	// The library's PNG encoder writes no compression level of its own;
	// re-encode at best compression, mail size matters more than CPU here.
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("chart png: %w", err)
	}
	if out.Len() < len(b) {
		return out.Bytes(), nil
	}
	return b, nil
}
