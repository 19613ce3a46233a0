package report

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"scorecard/shared/core/mail"

	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/quality"
	"scorecard/shared/core/scoring"
)

// Part and Mail are the shared mail shape (package mail).
type (
	Part = mail.Part
	Mail = mail.Mail
)

// TrendPoint is one month of an engineer's composite; nil when the month had
// no composite (or insufficient data, at the caller's choice).
type TrendPoint struct {
	Month     month.Month
	Composite *float64
}

// Team is what the monthly team report is made of.
type Team struct {
	Name, ManagerEmail, Locale string
	Month                      month.Month
	Cards                      []scoring.Card                // this month, the team's engineers
	Previous                   map[string]scoring.Card       // last month's card by engineer id (for "change from last month")
	Trend                      map[string][]TrendPoint       // up to six months per engineer, oldest first, current included
	Engineers                  map[string]directory.Engineer // names, e-mails
	Policy                     *policy.Policy                // targets, version

	// Evidence links each engineer (by id) to their evidence page
	// (shared/app/evidencepage); an engineer without one is not linked.
	Evidence map[string]string

	// Gaps between self-assessment and lead assessment (DESIGN §2: shown
	// beside each other, gaps of GapHighlight+ points highlighted). Filled
	// by a later issue; nil renders no section at all.
	Gaps []Gap

	// Held are the warnings and position adjustments of the month that
	// wait for the dispute window, by engineer id; HeldUntil is the
	// window's last day (YYYY-MM-DD). Disputes are the team's disputes
	// still open, of any month.
	Held      map[string][]consequence.Kind
	HeldUntil string
	Disputes  []dispute.Dispute

	// Calibration is the month's quality reviewers who reviewed the
	// team's tickets, with their alignment (quality.Calibrate over every
	// review of the month); nil renders no section.
	Calibration      []quality.Alignment
	CalibrationMonth month.Month // the month whose tickets they reviewed
}

// Gap is one engineer's self-assessment beside the lead's for one aspect
// ("attitude", "problem_solving", "collaboration"), both 0–100.
type Gap struct {
	EngineerID string
	Aspect     string
	Self, Lead float64
}

// GapHighlight is the self-vs-lead difference (points) from which a gap is
// highlighted (DESIGN §2).
const GapHighlight = 20

// Inline image content ids and file names of the team report.
const (
	HistogramCID  = "grade-histogram@scorecard"
	TrendCID      = "composite-trend@scorecard"
	xlsxType      = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	pngType       = "image/png"
	mailMaxWidth  = 680
	chartWidth    = 632
	chartHeight   = 260
	trendMaxLines = 8 // more engineers than this: team mean ± SD instead of one line each
)

//go:embed templates
var templateFS embed.FS

// palette is the mails' colours; the charts use the same ones.
var (
	gradeColors  = []string{"#1e7e34", "#1f5fa8", "#b7791f", "#c0392b", "#6b21a8", "#0e7490"}
	seriesColors = []string{"#1f5fa8", "#e67e22", "#2e8b57", "#c0392b", "#8e44ad", "#16a085", "#7f6000", "#d63384"}
	grey         = "#6b7280"
	red          = "#c0392b"
	green        = "#1e7e34"
)

// styles are the inline CSS of the mails, by name: mail clients drop
// <style> blocks, so every element carries its own.
var styles = map[string]string{
	"body":    "margin:0;padding:0;background-color:#f3f4f6;",
	"outer":   "background-color:#f3f4f6;",
	"wrap":    "padding:16px 8px;",
	"card":    "width:100%;max-width:680px;background-color:#ffffff;border:1px solid #e5e7eb;border-collapse:collapse;",
	"font":    "font-family:Arial,'Helvetica Neue',Helvetica,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif;color:#111827;",
	"header":  "padding:20px 24px 12px 24px;border-bottom:3px solid #1f5fa8;",
	"h1":      "margin:0;font-size:20px;line-height:26px;font-weight:bold;color:#111827;",
	"sub":     "margin:4px 0 0 0;font-size:13px;line-height:18px;color:#6b7280;",
	"section": "padding:16px 24px 8px 24px;",
	"h2":      "margin:0 0 8px 0;font-size:15px;line-height:20px;font-weight:bold;color:#111827;",
	"p":       "margin:0 0 8px 0;font-size:14px;line-height:20px;color:#111827;",
	"a":       "color:#1f5fa8;font-weight:bold;text-decoration:underline;",
	"small":   "margin:0 0 8px 0;font-size:12px;line-height:17px;color:#6b7280;",
	"table":   "width:100%;border-collapse:collapse;",
	"th":      "padding:6px 6px;border-bottom:2px solid #d1d5db;font-size:12px;line-height:16px;font-weight:bold;color:#374151;text-align:left;background-color:#f9fafb;",
	"thr":     "padding:6px 6px;border-bottom:2px solid #d1d5db;font-size:12px;line-height:16px;font-weight:bold;color:#374151;text-align:right;background-color:#f9fafb;",
	"td":      "padding:6px 6px;border-bottom:1px solid #e5e7eb;font-size:13px;line-height:18px;color:#111827;vertical-align:top;text-align:left;",
	"tdr":     "padding:6px 6px;border-bottom:1px solid #e5e7eb;font-size:13px;line-height:18px;color:#111827;vertical-align:top;text-align:right;white-space:nowrap;",
	"tdim":    "padding:10px 6px 4px 6px;border-bottom:1px solid #d1d5db;font-size:13px;line-height:18px;font-weight:bold;color:#1f5fa8;",
	"item":    "display:block;margin:0 0 3px 0;",
	"note":    "display:block;font-size:11px;line-height:15px;color:#6b7280;",
	"img":     "display:block;border:0;outline:none;width:100%;max-width:632px;height:auto;",
	"swatch":  "display:inline-block;width:10px;height:10px;margin:0 4px 0 0;",
	"legend":  "padding:2px 10px 2px 0;font-size:12px;line-height:16px;color:#374151;white-space:nowrap;",
	"footer":  "padding:12px 24px 20px 24px;border-top:1px solid #e5e7eb;",
	"box":     "padding:12px 16px;background-color:#f9fafb;border:1px solid #e5e7eb;",
	"big":     "margin:0;font-size:28px;line-height:34px;font-weight:bold;",
	"li":      "margin:0 0 6px 0;font-size:14px;line-height:20px;color:#111827;",
	"callout": "padding:10px 14px;background-color:#fef3c7;border-left:4px solid #b7791f;font-size:14px;line-height:20px;color:#111827;",
	"info":    "padding:10px 14px;background-color:#eef2ff;border-left:4px solid #6b7280;font-size:14px;line-height:20px;color:#111827;",
	"alert":   "padding:10px 14px;background-color:#fdecea;border-left:4px solid #c0392b;font-size:14px;line-height:20px;color:#111827;",
}

var funcs = htmltemplate.FuncMap{
	// css returns a named style, trusted because it is one of ours.
	"css": func(names ...string) htmltemplate.CSS {
		var b strings.Builder
		for _, n := range names {
			s, ok := styles[n]
			if !ok {
				panic("report: no style " + n)
			}
			b.WriteString(s)
		}
		return htmltemplate.CSS(b.String()) //nolint:gosec // constants above
	},
	// color is a style fragment for a colour of our palette.
	"color": func(c string) htmltemplate.CSS { return htmltemplate.CSS("color:" + c + ";") },
	"bg":    func(c string) htmltemplate.CSS { return htmltemplate.CSS("background-color:" + c + ";") },
}

var (
	htmlTemplates = htmltemplate.Must(htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	textTemplates = texttemplate.Must(texttemplate.New("").Funcs(texttemplate.FuncMap{
		"pad": func(w int, s string) string {
			if n := w - len([]rune(s)); n > 0 {
				return s + strings.Repeat(" ", n)
			}
			return s
		},
	}).ParseFS(templateFS, "templates/*.txt"))
)

// render executes the named HTML and text templates with the same view.
func render(name string, view any) (html, text string, err error) {
	var hb, tb bytes.Buffer
	if err := htmlTemplates.ExecuteTemplate(&hb, name+".html", view); err != nil {
		return "", "", errcode.Wrap(errcode.Internal, err, "render "+name+" mail")
	}
	if err := textTemplates.ExecuteTemplate(&tb, name+".txt", view); err != nil {
		return "", "", errcode.Wrap(errcode.Internal, err, "render "+name+" mail")
	}
	return hb.String(), tb.String(), nil
}

// effective is a card's grade after any override, and whether it meets the
// standard (nil for insufficient data without override).
func effective(c scoring.Card, rules consequence.Rules) (string, *bool) {
	return c.Record().Effective(rules)
}

// gradeColor is the colour of a grade: the best band green, then blue,
// amber, red.
func gradeColor(rules consequence.Rules, grade string) string {
	for i, g := range rules.Grades {
		if g.Grade == grade {
			if i == len(rules.Grades)-1 && i < len(gradeColors) {
				return red
			}
			return gradeColors[i%len(gradeColors)]
		}
	}
	return grey
}

// name is an engineer's display name: the directory's, else the id.
func name(engineers map[string]directory.Engineer, id string) string {
	if e, ok := engineers[id]; ok && strings.TrimSpace(e.Name) != "" {
		return e.Name
	}
	return id
}

func invalid(format string, args ...any) error {
	return errcode.Errorf(errcode.Invalid, format, args...)
}

// bullets is a list of sentences in a view.
type bullets []string
