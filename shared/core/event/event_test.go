package event_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/event"
)

func TestNormalizeTags(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "no tags are nil", in: nil, want: nil},
		{name: "an empty list is nil", in: []string{}, want: nil},
		{name: "tags are lower-cased and trimmed", in: []string{" VIP ", "Billing"}, want: []string{"billing", "vip"}},
		{name: "duplicates after normalising are dropped", in: []string{"vip", "VIP", " vip"}, want: []string{"vip"}},
		{name: "blank tags are dropped", in: []string{"", "  ", "a"}, want: []string{"a"}},
		{name: "order does not matter", in: []string{"c", "a", "b"}, want: []string{"a", "b", "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, event.NormalizeTags(tc.in), roundTripOpts); diff != "" {
				t.Errorf("NormalizeTags(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestRankOrdersSameInstantEvents(t *testing.T) {
	order := []event.Type{event.Created, event.Assigned, event.PriorityChanged, event.TagsChanged,
		event.Replied, event.Note, event.StatusChanged, event.SurveyAnswered}
	for i := 1; i < len(order); i++ {
		if !(order[i-1].Rank() < order[i].Rank()) {
			t.Errorf("%s.Rank() = %d is not below %s.Rank() = %d", order[i-1], order[i-1].Rank(), order[i], order[i].Rank())
		}
	}
	if r := event.Type("unknown").Rank(); r <= event.SurveyAnswered.Rank() {
		t.Errorf("an unknown type ranks %d, want after every known type", r)
	}
}

func TestStatusDone(t *testing.T) {
	for _, s := range event.Statuses {
		want := s == event.StatusResolved || s == event.StatusClosed
		if got := s.Done(); got != want {
			t.Errorf("%s.Done() = %v, want %v", s, got, want)
		}
	}
}

func TestParseEnumsInAnyCase(t *testing.T) {
	t.Run("every type parses from upper case", func(t *testing.T) {
		for _, typ := range event.Types {
			got, ok := event.ParseType(" " + upper(string(typ)) + " ")
			if !ok || got != typ {
				t.Errorf("ParseType(%q) = %q, %v", upper(string(typ)), got, ok)
			}
		}
	})
	t.Run("every status parses from upper case", func(t *testing.T) {
		for _, s := range event.Statuses {
			got, ok := event.ParseStatus(upper(string(s)))
			if !ok || got != s {
				t.Errorf("ParseStatus(%q) = %q, %v", upper(string(s)), got, ok)
			}
		}
	})
	t.Run("every priority parses from upper case", func(t *testing.T) {
		for _, p := range event.Priorities {
			got, ok := event.ParsePriority(upper(string(p)))
			if !ok || got != p {
				t.Errorf("ParsePriority(%q) = %q, %v", upper(string(p)), got, ok)
			}
		}
	})
	t.Run("every actor kind parses from mixed case", func(t *testing.T) {
		for in, want := range map[string]event.ActorKind{"Agent": event.Agent, "CUSTOMER": event.Customer, " system ": event.System} {
			got, ok := event.ParseActorKind(in)
			if !ok || got != want {
				t.Errorf("ParseActorKind(%q) = %q, %v; want %q", in, got, ok, want)
			}
		}
	})
	t.Run("unknown values do not parse", func(t *testing.T) {
		if _, ok := event.ParseType("deleted"); ok {
			t.Error("ParseType(deleted) ok")
		}
		if _, ok := event.ParseStatus("done"); ok {
			t.Error("ParseStatus(done) ok")
		}
		if _, ok := event.ParsePriority("critical"); ok {
			t.Error("ParsePriority(critical) ok")
		}
		if _, ok := event.ParseActorKind("bot"); ok {
			t.Error("ParseActorKind(bot) ok")
		}
		if _, ok := event.ParseActorKind(""); ok {
			t.Error("ParseActorKind(\"\") ok")
		}
	})
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
