package consequence

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// year2026 is six scored months of 2026 with the given composites, from July.
func year2026(composites ...float64) []Record {
	out := make([]Record, len(composites))
	for i, c := range composites {
		out[i] = scored(fmt.Sprintf("2026-%02d", 7+i), c)
	}
	return out
}

func TestRecognize(t *testing.T) {
	tests := []struct {
		name      string
		histories map[string][]Record
		want      []Ranked
	}{
		{
			name: "recognition ranks by mean composite, ties by A months then id",
			histories: map[string][]Record{
				"e1": year2026(95, 95, 95, 95, 95, 95),
				"e2": year2026(91, 91, 91, 89, 89, 89), // mean 90, 3 A
				"e3": year2026(90, 90, 90, 90, 90, 90), // mean 90, 6 A
				"e4": year2026(92, 92, 92, 88, 88, 88), // mean 90, 3 A, loses to e2 on id
				"e5": year2026(80, 80, 80, 80, 80, 80),
			},
			want: []Ranked{
				{EngineerID: "e1", Mean: 95, Months: 6, Rank: 1},
				{EngineerID: "e3", Mean: 90, Months: 6, Rank: 2},
				{EngineerID: "e2", Mean: 90, Months: 6, Rank: 3},
			},
		},
		{
			name: "too few months are not eligible",
			histories: map[string][]Record{
				"e1": year2026(100, 100, 100, 100, 100),
				"e2": year2026(75, 75, 75, 75, 75, 75),
			},
			want: []Ranked{{EngineerID: "e2", Mean: 75, Months: 6, Rank: 1}},
		},
		{
			name: "insufficient months are excluded from the mean and the count",
			histories: map[string][]Record{
				"e1": append(year2026(85, 85, 85, 85, 85, 85), insufficient("2026-01"),
					Record{Month: mo("2026-02"), Composite: ptr(10.0)}), // a composite without a standard decision is insufficient
				"e2": append(year2026(84, 84, 84, 84, 84), insufficient("2026-01")),
			},
			want: []Ranked{{EngineerID: "e1", Mean: 85, Months: 6, Rank: 1}},
		},
		{
			name: "an override counts the stored composite and its grade breaks ties",
			histories: map[string][]Record{
				"e1": append(year2026(85, 85, 85, 85, 85), overridden(scored("2026-01", 85), "A", "customer praise")),
				"e2": year2026(85, 85, 85, 85, 85, 85),
			},
			want: []Ranked{
				{EngineerID: "e1", Mean: 85, Months: 6, Rank: 1},
				{EngineerID: "e2", Mean: 85, Months: 6, Rank: 2},
			},
		},
		{
			name: "an override of an insufficient month without composite adds no month",
			histories: map[string][]Record{
				"e1": append(year2026(85, 85, 85, 85, 85), overridden(insufficient("2026-01"), "A", "on site all month")),
			},
			want: []Ranked{},
		},
		{
			name: "other years are ignored",
			histories: map[string][]Record{
				"e1": append(year2026(80, 80, 80, 80, 80, 80), scored("2025-12", 100), scored("2027-01", 100)),
			},
			want: []Ranked{{EngineerID: "e1", Mean: 80, Months: 6, Rank: 1}},
		},
		{
			name: "a month recorded twice is left out",
			histories: map[string][]Record{
				"e1": append(year2026(80, 80, 80, 80, 80, 80), scored("2026-01", 100), scored("2026-01", 60)),
			},
			want: []Ranked{{EngineerID: "e1", Mean: 80, Months: 6, Rank: 1}},
		},
		{
			name: "the mean is rounded so float noise never decides a tie",
			histories: map[string][]Record{
				// Summed in floats these means are 83.225 and 83.22500000000001.
				"e1": year2026(70.08, 89.27, 85, 85, 85, 85),
				"e2": year2026(70.01, 89.34, 85, 85, 85, 85),
			},
			want: []Ranked{
				{EngineerID: "e1", Mean: 83.225, Months: 6, Rank: 1},
				{EngineerID: "e2", Mean: 83.225, Months: 6, Rank: 2},
			},
		},
		{
			name:      "no engineers, no recognition",
			histories: nil,
			want:      []Ranked{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Recognize(DefaultRules(), 2026, tc.histories)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Recognize (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecognitionFor(t *testing.T) {
	ranked := []Ranked{
		{EngineerID: "e1", Mean: 95.5, Months: 11, Rank: 1},
		{EngineerID: "e3", Mean: 90, Months: 12, Rank: 2},
	}
	got, ok := RecognitionFor(ranked, "e3")
	want := Consequence{Kind: AnnualRecognition, Detail: "annual recognition: rank 2 of 2 by mean composite 90 over 12 months", Rank: 2}
	if !ok {
		t.Fatalf("RecognitionFor(e3) not found")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("RecognitionFor (-want +got):\n%s", diff)
	}
	if got, ok := RecognitionFor(ranked, "e2"); ok {
		t.Errorf("RecognitionFor(e2) = %v, want not recognised", got)
	}
}
