package consequence

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"scorecard/shared/core/month"
)

// Ranked is one engineer's place in the annual recognition.
type Ranked struct {
	EngineerID string  `json:"engineer_id"`
	Mean       float64 `json:"mean"`   // mean composite, rounded to 4 decimals
	Months     int     `json:"months"` // months with sufficient data that made the mean
	Rank       int     `json:"rank"`
}

// Recognize ranks engineers for the annual recognition of year.
//
// An engineer's score is the mean composite over the year's months with
// sufficient data: months whose effective meets-standard is set (an override
// makes a month count) and that have a stored composite. An override changes
// the grade, not the composite, so the stored composite is used. Engineers
// with fewer than RecognitionMinMonths such months are not eligible. The top
// RecognitionTopN are returned, rank 1 first; ties go to more months of the
// best grade, then to the lower engineer id. A month recorded twice for one
// engineer is ambiguous and left out.
func Recognize(rules Rules, year int, histories map[string][]Record) []Ranked {
	type candidate struct {
		Ranked
		best int
	}
	bestGrade := rules.bestGrade()
	var cands []candidate
	for id, history := range histories {
		times := make(map[month.Month]int)
		for _, rec := range history {
			if rec.Month.Year == year {
				times[rec.Month]++
			}
		}
		var composites []float64
		best := 0
		for _, rec := range history {
			if rec.Month.Year != year || times[rec.Month] != 1 {
				continue
			}
			grade, meets := rec.Effective(rules)
			if meets == nil || rec.Composite == nil || math.IsNaN(*rec.Composite) || math.IsInf(*rec.Composite, 0) {
				continue
			}
			composites = append(composites, *rec.Composite)
			if grade == bestGrade {
				best++
			}
		}
		if len(composites) == 0 || len(composites) < rules.RecognitionMinMonths {
			continue
		}
		// Sum in sorted order so that equal sets of composites give
		// bit-identical means whatever the history's order.
		slices.Sort(composites)
		sum := 0.0
		for _, c := range composites {
			sum += c
		}
		mean := math.Round(sum/float64(len(composites))*1e4) / 1e4
		cands = append(cands, candidate{Ranked: Ranked{EngineerID: id, Mean: mean, Months: len(composites)}, best: best})
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		if c := cmp.Compare(b.Mean, a.Mean); c != 0 {
			return c
		}
		if c := cmp.Compare(b.best, a.best); c != 0 {
			return c
		}
		return cmp.Compare(a.EngineerID, b.EngineerID)
	})
	n := min(len(cands), max(rules.RecognitionTopN, 0))
	out := make([]Ranked, n)
	for i := range out {
		out[i] = cands[i].Ranked
		out[i].Rank = i + 1
	}
	return out
}

// RecognitionFor returns the AnnualRecognition consequence of engineerID if
// it is in ranked.
func RecognitionFor(ranked []Ranked, engineerID string) (Consequence, bool) {
	for _, r := range ranked {
		if r.EngineerID == engineerID {
			return Consequence{
				Kind: AnnualRecognition,
				Detail: fmt.Sprintf("annual recognition: rank %d of %d by mean composite %s over %d months",
					r.Rank, len(ranked), num(r.Mean), r.Months),
				Rank: r.Rank,
			}, true
		}
	}
	return Consequence{}, false
}
