package report_test

import (
	"bytes"
	"html"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"scorecard/shared/app/report"
	"scorecard/shared/core/consequence"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

var locales = []string{directory.LocaleEn, directory.LocaleZhCN}

func TestLocale(t *testing.T) {
	tests := []struct {
		name             string
		engineer, policy string
		want             string
	}{
		{"the engineer's own locale wins", "en", "zh-CN", "en"},
		{"Chinese engineer, English policy", "zh-CN", "en", "zh-CN"},
		{"case and separators do not matter", "ZH_cn", "en", "zh-CN"},
		{"a language variant maps to its language", "en-GB", "zh-CN", "en"},
		{"simplified Chinese tag", "zh-Hans", "", "zh-CN"},
		{"empty engineer locale falls back to the policy", "", "zh-CN", "zh-CN"},
		{"an unsupported locale falls back to the policy", "fr", "zh-CN", "zh-CN"},
		{"nothing usable is English", "de", "", "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.Locale(tc.engineer, tc.policy); got != tc.want {
				t.Errorf("Locale(%q, %q) = %q, want %q", tc.engineer, tc.policy, got, tc.want)
			}
		})
	}
}

// words is what a test expects in each language.
type words struct{ en, zh string }

func (w words) in(locale string) string {
	if locale == directory.LocaleZhCN {
		return w.zh
	}
	return w.en
}

// row returns the HTML of the team table's row of an engineer (from their
// id's line to the end of the row).
func row(t *testing.T, html, id string) string {
	t.Helper()
	i := strings.Index(html, `<span style="display:block;font-size:11px;line-height:15px;color:#6b7280;">`+id+`</span>`)
	if i < 0 {
		i = strings.Index(html, `<strong>`+id+`</strong>`) // name unknown: the id is the name
	}
	if i < 0 {
		t.Fatalf("no row for %s in the team table", id)
	}
	j := strings.Index(html[i:], "</tr>")
	return html[i : i+j]
}

func TestTeamReport(t *testing.T) {
	for _, locale := range locales {
		t.Run(locale, func(t *testing.T) {
			s := sampleTeam(t, locale)
			m, err := report.TeamReport(s.team)
			if err != nil {
				t.Fatal(err)
			}
			month := words{"October 2026", "2026年10月"}.in(locale)
			if !strings.Contains(m.Subject, "North") || !strings.Contains(m.Subject, month) {
				t.Errorf("subject %q names neither team nor month", m.Subject)
			}

			t.Run("composite as shown equals the card's, one decimal", func(t *testing.T) {
				if got := *s.cards["E002"].Composite; got != 85.58 {
					t.Fatalf("sample composite %v", got)
				}
				r := row(t, m.HTML, "E002")
				if !strings.Contains(r, "<strong>85.6</strong>") {
					t.Errorf("E002 row lacks composite 85.6:\n%s", r)
				}
				if strings.Contains(m.HTML, "85.58") {
					t.Error("composites are shown with one decimal, 85.58 → 85.6")
				}
				for id, c := range s.cards {
					if c.InsufficientData {
						continue
					}
					want := strconv.FormatFloat(*c.Composite, 'f', 1, 64)
					if r := row(t, m.HTML, id); !strings.Contains(r, "<strong>"+want+"</strong>") {
						t.Errorf("%s: composite %s not in its row", id, want)
					}
					if !strings.Contains(m.Text, "("+id+")") || !strings.Contains(m.Text, " "+want) {
						t.Errorf("%s: composite %s not in the text part", id, want)
					}
				}
			})

			t.Run("change from last month", func(t *testing.T) {
				// E001: 99.8 (rounded) vs 93.2; E002: 85.58 vs 86.1.
				want := strconv.FormatFloat(*s.cards["E001"].Composite-93.2, 'f', 1, 64)
				if r := html.UnescapeString(row(t, m.HTML, "E001")); !strings.Contains(r, "+"+want) {
					t.Errorf("E001 change +%s missing:\n%s", want, r)
				}
				if r := row(t, m.HTML, "E002"); !strings.Contains(r, ">-0.5<") {
					t.Errorf("E002 change -0.5 missing:\n%s", r)
				}
			})

			t.Run("override shown beside the computed grade, escaped", func(t *testing.T) {
				r := row(t, m.HTML, "E006")
				computed := s.cards["E006"].Grade
				if computed == "A" || computed == "" {
					t.Fatalf("sample: E006 computed grade %q should differ from the override", computed)
				}
				if !regexp.MustCompile(`>` + computed + `</strong> → <strong[^>]*>A</strong>`).MatchString(r) {
					t.Errorf("E006 row lacks %q → A:\n%s", computed, r)
				}
				if !strings.Contains(r, "covered the &lt;night&gt; shift &amp; two escalations") || !strings.Contains(r, "mia@example.com") {
					t.Errorf("override reason or author missing or unescaped:\n%s", r)
				}
			})

			t.Run("insufficient data is shown as such, never as a failure", func(t *testing.T) {
				r := row(t, m.HTML, "E005")
				if !strings.Contains(r, words{"insufficient data", "数据不足"}.in(locale)) || !strings.Contains(r, "3") {
					t.Errorf("E005 row does not say insufficient data:\n%s", r)
				}
				for _, failure := range []string{">D<", "#c0392b", words{"Average first response", "平均首次响应时长"}.in(locale)} {
					if strings.Contains(r, failure) {
						t.Errorf("E005 row shows %q, like a failure:\n%s", failure, r)
					}
				}
				if !strings.Contains(m.Text, "(E005)"+words{": insufficient data", "：数据不足"}.in(locale)) {
					t.Errorf("text part: E005 not shown as insufficient")
				}
			})

			t.Run("missed metrics and consequences", func(t *testing.T) {
				r := html.UnescapeString(row(t, m.HTML, "E003"))
				for _, w := range []words{
					{"Resolved within SLA", "SLA 内解决率"},
					{"Performance warning", "绩效警告"},
					{"Training plan", "培训计划"},
					{"Bonus 2,900", "奖金 2,900"},
					{"+4 more", "等另外 4 项"},
				} {
					if !strings.Contains(r, w.in(locale)) {
						t.Errorf("E003 row lacks %q:\n%s", w.in(locale), r)
					}
				}
				if r := row(t, m.HTML, "E004"); !strings.Contains(r, words{"Position adjustment flagged for HR", "已提请人力资源部岗位调整"}.in(locale)) {
					t.Errorf("E004 row lacks the position adjustment:\n%s", r)
				}
				if r := row(t, m.HTML, "E001"); !strings.Contains(r, words{"Promotion priority", "晋升优先"}.in(locale)) {
					t.Errorf("E001 row lacks promotion priority:\n%s", r)
				}
			})

			t.Run("summary line", func(t *testing.T) {
				want := words{
					"6 engineers: 3 meet the standard, 2 below, 1 with insufficient data.",
					"共 6 名工程师：3 名达标，2 名未达标，1 名数据不足。",
				}.in(locale)
				if !strings.Contains(m.HTML, want) || !strings.Contains(m.Text, want) {
					t.Errorf("summary %q missing", want)
				}
			})

			t.Run("names are escaped", func(t *testing.T) {
				if strings.Contains(m.HTML, "<b>") {
					t.Error("an engineer's name was inserted as HTML")
				}
				if !strings.Contains(m.HTML, "&lt;b&gt;") {
					t.Error("the escaped name is missing")
				}
			})

			t.Run("attachment and charts", func(t *testing.T) {
				if len(m.Attachments) != 1 || m.Attachments[0].Filename != "scorecard-North-2026-10.xlsx" ||
					!strings.HasPrefix(string(m.Attachments[0].Data), "PK") {
					t.Fatalf("attachments: %+v", m.Attachments)
				}
				if !strings.Contains(m.HTML, "scorecard-North-2026-10.xlsx") {
					t.Error("the HTML does not mention the attachment")
				}
				if len(m.Inline) != 2 {
					t.Fatalf("want 2 inline charts, got %d", len(m.Inline))
				}
				for _, p := range m.Inline {
					checkPNG(t, p)
				}
				for _, n := range []string{"Ann Lee", "李安"} {
					if locale == directory.LocaleZhCN && n == "李安" || locale == directory.LocaleEn && n == "Ann Lee" {
						if !strings.Contains(m.HTML, n) {
							t.Errorf("trend legend lacks %s", n)
						}
					}
				}
			})
			if strings.Contains(m.HTML, words{"Self-assessment", "自评与主管评分"}.in(locale)) {
				t.Error("the self vs lead section renders without gaps")
			}
		})
	}
}

func checkPNG(t *testing.T, p report.Part) {
	t.Helper()
	if p.ContentType != "image/png" || p.ContentID == "" || !strings.HasSuffix(p.Filename, ".png") {
		t.Errorf("inline part %+v", p.Filename)
	}
	img, err := png.Decode(bytes.NewReader(p.Data))
	if err != nil {
		t.Fatalf("%s: %v", p.Filename, err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dx() > 680 || b.Dy() < 150 || b.Dy() > 600 {
		t.Errorf("%s is %dx%d", p.Filename, b.Dx(), b.Dy())
	}
	if n := distinctColors(img, 16); n < 16 {
		t.Errorf("%s has %d colours: empty chart?", p.Filename, n)
	}
	if len(p.Data) > 200_000 {
		t.Errorf("%s is %d bytes, too big for a mail", p.Filename, len(p.Data))
	}
}

var (
	imgSrc   = regexp.MustCompile(`<img[^>]*\ssrc="([^"]*)"`)
	widthAtt = regexp.MustCompile(`\swidth="(\d+)"`)
	widthCSS = regexp.MustCompile(`(?:^|[;"\s])(?:max-)?width:\s*(\d+)px`)
)

// checkMailSafe asserts what mail clients need: no scripts, SVG, external
// assets or style sheets, nothing wider than 680 px, every image an inline
// part, and no Go zero-value leaks.
func checkMailSafe(t *testing.T, m report.Mail) {
	t.Helper()
	lower := strings.ToLower(m.HTML)
	for _, bad := range []string{"<script", "<svg", "http://", "https://", "<link", "<style", "<iframe", "javascript:", "url("} {
		if strings.Contains(lower, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	for _, body := range []string{m.HTML, m.Text, m.Subject} {
		for _, leak := range []string{"<nil>", "%!", "NaN", "0xc", "map[", "{{"} {
			if strings.Contains(body, leak) {
				t.Errorf("mail contains %q", leak)
			}
		}
	}
	if strings.Contains(m.Text, "&lt;") || strings.Contains(m.Text, "&amp;") || strings.Contains(m.Text, "<td") {
		t.Error("the text part contains HTML")
	}
	cids := map[string]bool{}
	for _, p := range m.Inline {
		cids[p.ContentID] = false
	}
	for _, s := range imgSrc.FindAllStringSubmatch(m.HTML, -1) {
		cid, ok := strings.CutPrefix(s[1], "cid:")
		if _, known := cids[cid]; !ok || !known {
			t.Errorf("<img src=%q> is not the cid: of an inline part", s[1])
		}
		cids[cid] = true
	}
	for cid, used := range cids {
		if !used {
			t.Errorf("inline part %s is not shown", cid)
		}
	}
	for _, re := range []*regexp.Regexp{widthAtt, widthCSS} {
		for _, w := range re.FindAllStringSubmatch(m.HTML, -1) {
			if n, _ := strconv.Atoi(w[1]); n > 680 {
				t.Errorf("width %d px > 680", n)
			}
		}
	}
	if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.Contains(m.HTML, `<meta charset="utf-8">`) {
		t.Error("HTML lacks doctype or charset")
	}
	if m.Text == "" || m.Subject == "" {
		t.Error("empty text part or subject")
	}
}

func TestMailsAreMailSafe(t *testing.T) {
	for _, locale := range locales {
		s := sampleTeam(t, locale)
		s.team.Gaps = []report.Gap{{EngineerID: "E003", Aspect: "attitude", Self: 95, Lead: 72}}
		team, err := report.TeamReport(s.team)
		if err != nil {
			t.Fatal(err)
		}
		mails := map[string]report.Mail{"team": team}
		for id, c := range s.cards {
			card, err := report.Scorecard(c, s.team.Engineers[id], locale, s.team.Policy)
			if err != nil {
				t.Fatal(err)
			}
			mails["scorecard "+id] = card
			for _, q := range c.Consequences {
				if q.Kind == consequence.Warning || q.Kind == consequence.PositionAdjustment {
					n, err := report.Notice(c, q, s.team.Engineers[id], locale, nil)
					if err != nil {
						t.Fatal(err)
					}
					mails["notice "+id] = n
				}
			}
		}
		for name, m := range mails {
			t.Run(locale+"/"+name, func(t *testing.T) { checkMailSafe(t, m) })
		}
	}
}

func TestScorecard(t *testing.T) {
	for _, locale := range locales {
		t.Run(locale, func(t *testing.T) {
			s := sampleTeam(t, locale)
			c := s.cards["E003"]
			m, err := report.Scorecard(c, s.team.Engineers["E003"], locale, s.team.Policy)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(m.Subject, words{"October 2026", "2026年10月"}.in(locale)) {
				t.Errorf("subject %q", m.Subject)
			}
			t.Run("every metric against its target", func(t *testing.T) {
				for id, want := range map[metric.ID][3]string{
					// value, target, points
					metric.ResolutionSLARate:     {"80.0 %", "≥ 95.0 %", "50.0"},
					metric.AvgFirstResponseHours: {words{"4.5 h", "4.5 小时"}.in(locale), words{"≤ 2.0 h", "≤ 2.0 小时"}.in(locale), "58.3"},
					metric.CSATScore:             {"70.0", "≥ 90.0", "50.0"},
					metric.FirstResponse1hRate:   {"80.0 %", "100.0 %", "60.0"},
					metric.Complaint24hRate:      {"100.0 %", "100.0 %", "100.0"},
					metric.CollaborationCases:    {"3", words{"bonus", "加分项"}.in(locale), "+6.0"},
				} {
					r := c.Metrics[id]
					if r.Points != nil && id != metric.CollaborationCases && strconv.FormatFloat(*r.Points, 'f', 1, 64) != want[2] {
						t.Fatalf("sample: %s points %v", id, *r.Points)
					}
					re := regexp.MustCompile(regexp.QuoteMeta(want[0]) + `</td>\s*<td[^>]*>` + regexp.QuoteMeta(want[1]) + `</td>\s*<td[^>]*>` + regexp.QuoteMeta(want[2]) + `</td>`)
					if !re.MatchString(html.UnescapeString(m.HTML)) {
						t.Errorf("%s: want value %s, target %s, points %s in one row", id, want[0], want[1], want[2])
					}
				}
				if !strings.Contains(m.HTML, words{"no data", "无数据"}.in(locale)) {
					t.Error("renewal_rate has no data and should say so")
				}
			})
			t.Run("what to improve: definitions and a few tickets", func(t *testing.T) {
				def := words{
					"tickets resolved within their priority&#39;s SLA",
					"在其优先级 SLA 内解决的工单",
				}.in(locale)
				if !strings.Contains(m.HTML, def) {
					t.Errorf("definition of resolution_sla_rate missing")
				}
				ids := c.Metrics[metric.ResolutionSLARate].Offending
				if len(ids) != 20 {
					t.Fatalf("sample: %d offending tickets", len(ids))
				}
				if !strings.Contains(m.HTML, strings.Join(ids[:5], ", ")) || strings.Contains(m.HTML, ids[5]) {
					t.Errorf("want the first 5 offending tickets and not the 6th")
				}
				if !strings.Contains(m.HTML, words{"and 15 more", "等另外 15 张"}.in(locale)) {
					t.Errorf("want the count of the rest")
				}
				// worst first: CSAT (50 points) before first response (60).
				if a, b := strings.Index(m.Text, words{"* CSAT score", "* 客户满意度评分"}.in(locale)), strings.Index(m.Text, words{"* First response within 1 h", "* 1 小时内首次响应率"}.in(locale)); a < 0 || b < 0 || a > b {
					t.Errorf("missed metrics are not worst first (%d, %d)", a, b)
				}
			})
			t.Run("standing, consequences and policy version", func(t *testing.T) {
				for _, w := range []words{
					{"Below the standard (pass mark 80)", "未达标（达标线 80）"},
					{"Performance warning (2 months: 2026-09, 2026-10)", "绩效警告（连续 2 个月：2026-09、2026-10）"},
					{"Policy version 2026.1", "考核政策版本 2026.1"},
					{"79.2", "79.2"},
				} {
					if !strings.Contains(m.HTML, w.in(locale)) || !strings.Contains(m.Text, w.in(locale)) {
						t.Errorf("missing %q", w.in(locale))
					}
				}
			})
		})
	}
}

func TestScorecardCases(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	p := s.team.Policy
	tests := []struct {
		name    string
		card    scoring.Card
		want    []string
		notWant []string
	}{
		{
			name:    "insufficient data is not a failure",
			card:    s.cards["E005"],
			want:    []string{"Insufficient data this month", "This is not a failure", "Insufficient data: not counted", "Nothing to judge this month"},
			notWant: []string{"Below the standard", "#c0392b", "Your value"},
		},
		{
			name: "an override is shown with the computed grade and the reason",
			card: s.cards["E006"],
			want: []string{"Grade A set by your manager: covered the &lt;night&gt; shift &amp; two escalations (computed grade B)", "Meets the standard"},
		},
		{
			name: "an override of an insufficient month",
			card: func() scoring.Card {
				c := s.cards["E005"]
				c.Override = &consequence.Override{Grade: "B", Reason: "on training abroad"}
				return c
			}(),
			want: []string{"Grade B set by your manager: on training abroad (computed: insufficient data)"},
		},
		{
			name: "a small sample says what it was scored as",
			card: s.cards["E006"],
			want: []string{"small sample (n = 3): scored as"},
		},
		{
			name: "nothing missed",
			card: func() scoring.Card {
				c := s.cards["E001"]
				c.MissedMetrics = nil
				c.Consequences = nil
				return c
			}(),
			want: []string{"Every metric with data met its target", "None this month."},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := report.Scorecard(tc.card, s.team.Engineers[tc.card.EngineerID], "", p)
			if err != nil {
				t.Fatal(err)
			}
			checkMailSafe(t, m)
			for _, w := range tc.want {
				if !strings.Contains(m.HTML, w) {
					t.Errorf("HTML lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(m.HTML, w) {
					t.Errorf("HTML has %q", w)
				}
			}
		})
	}
}

func TestNotice(t *testing.T) {
	for _, locale := range locales {
		s := sampleTeam(t, locale)
		tests := []struct {
			name string
			id   string
			want []words
		}{
			{"warning", "E003", []words{
				{"Performance warning", "绩效警告"},
				{"2 consecutive months: September 2026, October 2026", "连续 2 个月未达标：2026年9月、2026年10月"},
				{"composite 79.2, grade C", "综合得分 79.2，等级 C"},
				{"a position adjustment is flagged for HR", "将提请人力资源部进行岗位调整"},
				{"Training plan", "培训计划"},
				{"mean created → first public reply by an agent", "从创建到客服首次公开回复的平均时长"},
				{"T-202610-00412", "T-202610-00412"},
			}},
			{"position adjustment", "E004", []words{
				{"Position adjustment", "岗位调整"},
				{"3 consecutive months: July 2026, September 2026, October 2026", "连续 3 个月未达标：2026年7月、2026年9月、2026年10月"},
				{"HR and your manager will contact you", "人力资源部和主管将就岗位调整与您联系"},
				{"Completion rate", "工单完成率"},
			}},
		}
		for _, tc := range tests {
			t.Run(locale+"/"+tc.name, func(t *testing.T) {
				c := s.cards[tc.id]
				m, err := report.Notice(c, c.Consequences[0], s.team.Engineers[tc.id], locale, nil)
				if err != nil {
					t.Fatal(err)
				}
				checkMailSafe(t, m)
				if !strings.Contains(m.Subject, tc.want[0].in(locale)) {
					t.Errorf("subject %q", m.Subject)
				}
				for _, w := range tc.want {
					if !strings.Contains(m.HTML, w.in(locale)) || !strings.Contains(m.Text, w.in(locale)) {
						t.Errorf("notice lacks %q", w.in(locale))
					}
				}
			})
		}
	}
}

func TestNoticeFallbacks(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	c := s.cards["E004"]
	c.Consequences = nil // no training plan consequence: the notice's own metrics
	q := consequence.Consequence{Kind: consequence.Warning, Months: []string{"2026-09", "2026-10"}, Metrics: []string{"knowledge_score"}}
	m, err := report.Notice(c, q, directory.Engineer{ID: "E004"}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Hello E004,", "2 consecutive months", "Knowledge assessment", "latest knowledge assessment (0–100)"} {
		if !strings.Contains(m.HTML, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	c.MissedMetrics = nil
	c.InsufficientData = true
	m, err = report.Notice(c, consequence.Consequence{Kind: consequence.PositionAdjustment, Streak: 3}, directory.Engineer{ID: "E004", Locale: "zh-CN"}, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"岗位调整", "本月：数据不足。", "没有单项指标低于目标"} {
		if !strings.Contains(m.HTML, w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
}

func TestErrors(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	noPolicy := s.team
	noPolicy.Policy = nil
	noMonth := s.team
	noMonth.Month = month.Month{}
	wrongMonth := s.team
	wrongMonth.Month = october.Add(1)
	c := s.cards["E003"]
	tests := []struct {
		name string
		err  error
	}{
		{"team report without policy", second(report.TeamReport(noPolicy))},
		{"team report without month", second(report.TeamReport(noMonth))},
		{"team report with a card of another month", second(report.TeamReport(wrongMonth))},
		{"workbook without policy", second(report.Workbook(noPolicy))},
		{"scorecard without policy", second(report.Scorecard(c, directory.Engineer{}, "en", nil))},
		{"scorecard without month", second(report.Scorecard(scoring.Card{EngineerID: "x"}, directory.Engineer{}, "en", s.team.Policy))},
		{"notice for a bonus", second(report.Notice(c, consequence.Consequence{Kind: consequence.Bonus}, directory.Engineer{}, "en", nil))},
		{"notice without month", second(report.Notice(scoring.Card{}, consequence.Consequence{Kind: consequence.Warning}, directory.Engineer{}, "en", nil))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if errcode.Code(tc.err) != errcode.Invalid {
				t.Errorf("want an invalid error, got %v", tc.err)
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

func TestSelfLeadGaps(t *testing.T) {
	s := sampleTeam(t, directory.LocaleEn)
	s.team.Gaps = []report.Gap{
		{EngineerID: "E003", Aspect: "attitude", Self: 95, Lead: 72},
		{EngineerID: "E001", Aspect: "collaboration", Self: 88, Lead: 90},
		{EngineerID: "E002", Aspect: "punctuality", Self: 80, Lead: 80},
	}
	m, err := report.TeamReport(s.team)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Self-assessment vs lead assessment", "Gaps of 20 points or more are highlighted.", "Work attitude", "+23.0", "-2.0", "punctuality", "±0.0"} {
		if !strings.Contains(html.UnescapeString(m.HTML), w) {
			t.Errorf("HTML lacks %q", w)
		}
	}
	if n := strings.Count(m.HTML, `bgcolor="#fef3c7"`); n != 1 {
		t.Errorf("want 1 highlighted gap, got %d", n)
	}
	if !strings.Contains(m.Text, "+23.0 (!)") {
		t.Error("text part does not mark the large gap")
	}
}

func TestTrendAndHistogramEdges(t *testing.T) {
	p := policy.Default()
	mk := func(id string, composite *float64, insufficient bool) scoring.Card {
		return plainCard(p, id, composite, insufficient)
	}
	t.Run("a large team gets the mean ± SD instead of a line each", func(t *testing.T) {
		m, err := report.TeamReport(largeTeam(12))
		if err != nil {
			t.Fatal(err)
		}
		checkMailSafe(t, m)
		for _, w := range []string{"team mean", "mean + 1 SD / mean − 1 SD", "Team mean and mean ± one standard deviation", "E100"} {
			if !strings.Contains(html.UnescapeString(m.HTML), w) {
				t.Errorf("HTML lacks %q", w)
			}
		}
		for _, part := range m.Inline {
			checkPNG(t, part)
		}
	})
	t.Run("nobody with sufficient data: no charts, still a report", func(t *testing.T) {
		cards := []scoring.Card{mk("E1", nil, true), mk("E2", ptr(91.0), true)}
		m, err := report.TeamReport(report.Team{Name: "Quiet", Locale: "en", Month: october, Cards: cards, Policy: p})
		if err != nil {
			t.Fatal(err)
		}
		checkMailSafe(t, m)
		if len(m.Inline) != 0 || strings.Contains(m.HTML, "<img") {
			t.Errorf("want no charts, got %d", len(m.Inline))
		}
		if !strings.Contains(m.HTML, "2 engineers: 0 meet the standard, 0 below, 2 with insufficient data.") {
			t.Error("summary")
		}
		if len(m.Attachments) != 1 {
			t.Error("the workbook is attached even so")
		}
	})
	t.Run("no trend given: the current month is the trend", func(t *testing.T) {
		cards := []scoring.Card{mk("E1", ptr(85.0), false), mk("E2", ptr(72.5), false)}
		m, err := report.TeamReport(report.Team{Name: "New", Locale: "en", Month: october, Cards: cards, Policy: p,
			Previous: map[string]scoring.Card{"E2": mk("E2", nil, true)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Inline) != 2 {
			t.Fatalf("want both charts, got %d", len(m.Inline))
		}
		if r := row(t, m.HTML, "E1"); !strings.Contains(r, ">new<") {
			t.Errorf("E1 has no previous month: want \"new\":\n%s", r)
		}
		if r := row(t, m.HTML, "E2"); !strings.Contains(r, ">—<") {
			t.Errorf("E2's previous month was insufficient: want —:\n%s", r)
		}
	})
}

func TestCatalogIsComplete(t *testing.T) {
	s := sampleTeam(t, directory.LocaleZhCN)
	c := s.cards["E003"]
	for _, d := range metric.Defs {
		c.MissedMetrics = append(c.MissedMetrics, string(d.ID))
	}
	c.Consequences = nil
	for _, k := range []consequence.Kind{consequence.InsufficientData, consequence.Mentoring, consequence.Warning,
		consequence.PositionAdjustment, consequence.TrainingPlan, consequence.Bonus, consequence.PromotionPriority, consequence.AnnualRecognition} {
		c.Consequences = append(c.Consequences, consequence.Consequence{Kind: k, Rank: 1, Streak: 2, Months: []string{"2026-10"}})
	}
	m, err := report.Scorecard(c, directory.Engineer{Name: "X"}, "zh-CN", s.team.Policy)
	if err != nil {
		t.Fatal(err)
	}
	// Every metric and consequence has Chinese words: no id leaks through.
	for _, d := range metric.Defs {
		if strings.Contains(m.HTML, ">"+string(d.ID)) || strings.Contains(m.Text, "* "+string(d.ID)) {
			t.Errorf("metric %s has no Chinese name", d.ID)
		}
	}
	for _, k := range []string{"insufficient_data", "mentoring", "warning", "position_adjustment", "training_plan", "bonus", "promotion_priority", "annual_recognition"} {
		if strings.Contains(m.Text, "* "+k) {
			t.Errorf("consequence %s has no Chinese phrase", k)
		}
	}
	if !strings.Contains(m.Text, "年度表彰，第 1 名") || !strings.Contains(m.Text, "入职辅导期") {
		t.Error("recognition or mentoring phrase missing")
	}
}

func TestWorkbookName(t *testing.T) {
	for _, tc := range []struct{ team, want string }{
		{"North", "scorecard-North-2026-10.xlsx"},
		{"Field service / East", "scorecard-Field-service---East-2026-10.xlsx"},
		{"华东 现场", "scorecard-华东-现场-2026-10.xlsx"},
		{"  ", "scorecard-team-2026-10.xlsx"},
	} {
		if got := report.WorkbookName(report.Team{Name: tc.team, Month: october}); got != tc.want {
			t.Errorf("WorkbookName(%q) = %q, want %q", tc.team, got, tc.want)
		}
	}
}

// TestMonthFromHistory: a month scored from imported history says so, in
// the team report and the scorecard, in both languages; others do not.
func TestMonthFromHistory(t *testing.T) {
	for _, locale := range locales {
		t.Run(locale, func(t *testing.T) {
			note := words{"scored from history imported from the ticketing system", "根据从工单系统导入的历史数据计算"}.in(locale)
			for _, fromHistory := range []bool{false, true} {
				s := sampleTeam(t, locale)
				for i := range s.team.Cards {
					s.team.Cards[i].FromHistory = fromHistory
				}
				team, err := report.TeamReport(s.team)
				if err != nil {
					t.Fatal(err)
				}
				c := s.team.Cards[0]
				card, err := report.Scorecard(c, s.team.Engineers[c.EngineerID], locale, s.team.Policy)
				if err != nil {
					t.Fatal(err)
				}
				for name, text := range map[string]string{"team HTML": team.HTML, "team text": team.Text, "scorecard HTML": card.HTML, "scorecard text": card.Text} {
					if strings.Contains(text, note) != fromHistory {
						t.Errorf("%s, from history %v: the note %q is there: %v", name, fromHistory, note, !fromHistory)
					}
				}
			}
		})
	}
}
