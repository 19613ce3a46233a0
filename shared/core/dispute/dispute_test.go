package dispute_test

import (
	"strings"
	"testing"
	"time"

	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAfterWorkingDays(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-02 09:00", 0, "2026-11-02 09:00"}, // Monday: no window
		{"2026-11-02 09:00", 1, "2026-11-04 00:00"}, // Monday → Tuesday counts, closes Wednesday 00:00
		{"2026-11-02 09:00", 5, "2026-11-10 00:00"}, // Tue..Fri, Mon
		{"2026-11-06 23:59", 1, "2026-11-10 00:00"}, // Friday: the weekend does not count
		{"2026-11-07 10:00", 1, "2026-11-10 00:00"}, // Saturday
		{"2026-11-08 10:00", 2, "2026-11-11 00:00"}, // Sunday
	} {
		t.Run(tc.from+"+"+string(rune('0'+tc.n)), func(t *testing.T) {
			got := dispute.AfterWorkingDays(at(tc.from), tc.n, shanghai)
			if !got.Equal(at(tc.want)) {
				t.Errorf("got %s, want %s", got.In(shanghai), tc.want)
			}
		})
	}
}

func rules() dispute.Rules {
	return dispute.Rules{Opened: at("2026-11-02 09:00"), Location: shanghai, WindowWorkingDays: 5, SettleWorkingDays: 5, PerEngineerMonth: 2}
}

func TestNoticeDue(t *testing.T) {
	r := rules() // window closes 2026-11-10 00:00, settle by 2026-11-17 00:00
	for _, tc := range []struct {
		name string
		now  string
		open int
		off  bool
		want bool
	}{
		{"in the window", "2026-11-09 23:59", 0, false, false},
		{"window closed, none open", "2026-11-10 00:00", 0, false, true},
		{"window closed, one open", "2026-11-12 10:00", 1, false, false},
		{"settling time over", "2026-11-17 00:00", 1, false, true},
		{"disputes off", "2026-11-02 09:00", 3, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := r
			if tc.off {
				r.WindowWorkingDays = 0
			}
			if got := r.NoticeDue(at(tc.now), tc.open); got != tc.want {
				t.Errorf("due = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestOpen(t *testing.T) {
	m := month.Month{Year: 2026, Month: time.October}
	ok := dispute.Request{Metric: metric.CompletionRate, Source: "zendesk", TicketID: "42", Reason: dispute.Duplicate, Comment: " same as 41 "}
	facts := func() dispute.Facts {
		return dispute.Facts{Now: at("2026-11-03 10:00"), Month: m, EngineerID: "ann", EngineerEmail: "ann@example.com", ManagerEmail: "Lee@Example.com", InMetric: true}
	}
	d, err := rules().Open(ok, facts())
	if err != nil {
		t.Fatal(err)
	}
	if d.Arbiter != "lee@example.com" || d.Status != dispute.Open || d.Comment != "same as 41" || d.ID != dispute.ID(m, "ann", metric.CompletionRate, "zendesk", "42") {
		t.Errorf("opened %+v", d)
	}
	for _, tc := range []struct {
		name  string
		req   func(*dispute.Request)
		facts func(*dispute.Facts)
		code  string
		says  string
	}{
		{"unknown reason", func(r *dispute.Request) { r.Reason = "bored" }, nil, errcode.Invalid, "reason"},
		{"other without a comment", func(r *dispute.Request) { r.Reason, r.Comment = dispute.Other, " " }, nil, errcode.Invalid, "comment"},
		{"comment too long", func(r *dispute.Request) { r.Comment = strings.Repeat("x", dispute.MaxComment+1) }, nil, errcode.Invalid, "comment"},
		{"no ticket", func(r *dispute.Request) { r.TicketID = "" }, nil, errcode.Invalid, "ticket"},
		{"not in the metric", nil, func(f *dispute.Facts) { f.InMetric = false }, errcode.NotFound, "zendesk/42 is not in your completion_rate for 2026-10"},
		{"no lead assessment", func(r *dispute.Request) {
			r.Metric, r.Source, r.TicketID = dispute.LeadAssessment, dispute.AssessmentSource, dispute.AssessmentTicket
		}, func(f *dispute.Facts) { f.InMetric = false }, errcode.NotFound, "no lead assessment"},
		{"window closed", nil, func(f *dispute.Facts) { f.Now = at("2026-11-10 00:00") }, errcode.Gone, "closed at the end of 2026-11-09"},
		{"twice", nil, func(f *dispute.Facts) { f.Existing = []dispute.Dispute{d} }, errcode.Conflict, "already disputed"},
		{"limit", func(r *dispute.Request) { r.TicketID = "43" }, func(f *dispute.Facts) {
			f.Existing = []dispute.Dispute{d, {ID: "other"}}
		}, errcode.Conflict, "at most 2"},
		{"own manager", nil, func(f *dispute.Facts) { f.ManagerEmail = "ANN@example.com" }, errcode.Conflict, "no one to settle"},
		{"no manager", nil, func(f *dispute.Facts) { f.ManagerEmail = "" }, errcode.Conflict, "no one to settle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, f := ok, facts()
			if tc.req != nil {
				tc.req(&req)
			}
			if tc.facts != nil {
				tc.facts(&f)
			}
			_, err := rules().Open(req, f)
			if errcode.Code(err) != tc.code || !strings.Contains(errcode.Message(err), tc.says) {
				t.Errorf("err = %v (%s), want %s saying %q", err, errcode.Code(err), tc.code, tc.says)
			}
		})
	}
}

func TestSettle(t *testing.T) {
	d := dispute.Dispute{ID: "x", EngineerID: "ann", Arbiter: "lee@example.com", Status: dispute.Open}
	now := at("2026-11-04 10:00")
	got, err := dispute.Settle(d, dispute.Decision{Accept: true, By: "Lee@example.com", At: now}, "ann@example.com")
	if err != nil || got.Status != dispute.Accepted || got.SettledBy != "lee@example.com" || !got.SettledAt.Equal(now) {
		t.Fatalf("accept: %+v, %v", got, err)
	}
	if x := got.Exclusion(); x.By != "lee@example.com" || x.Reason == "" || x.EngineerID != "ann" {
		t.Errorf("exclusion %+v", x)
	}
	for _, tc := range []struct {
		name string
		d    dispute.Dispute
		dec  dispute.Decision
		eng  string
		code string
	}{
		{"settled twice", got, dispute.Decision{Accept: false, By: "lee@example.com", Answer: "no"}, "ann@example.com", errcode.Conflict},
		{"someone else", d, dispute.Decision{Accept: true, By: "eve@example.com"}, "ann@example.com", errcode.Forbidden},
		{"about themselves", dispute.Dispute{ID: "y", Arbiter: "lee@example.com", Status: dispute.Open},
			dispute.Decision{Accept: true, By: "lee@example.com"}, "LEE@example.com", errcode.Forbidden},
		{"rejected without a reason", d, dispute.Decision{By: "lee@example.com"}, "ann@example.com", errcode.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := dispute.Settle(tc.d, tc.dec, tc.eng); errcode.Code(err) != tc.code {
				t.Errorf("err = %v, want %s", err, tc.code)
			}
		})
	}
}
