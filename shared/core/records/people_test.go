package records

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

func ptr[T any](v T) *T { return &v }

var october = month.Month{Year: 2026, Month: 10}

// allFiles is every kind's good file, as imported.
func allFiles(t *testing.T) []Record {
	t.Helper()
	var all []Record
	for _, k := range Kinds {
		all = append(all, parseFile(t, k, string(k)+".csv")...)
	}
	return all
}

func TestPeopleHandComputed(t *testing.T) {
	all := allFiles(t)
	// The knowledge file imported again changes nothing; then the LMS
	// corrects assessment KA-2 and moves renewal R-7 into November: the
	// last version of an id wins and alone decides the month.
	all = append(all, parseFile(t, Knowledge, "knowledge.csv")...)
	all = append(all,
		Record{ID: "KA-2", Kind: Knowledge, EngineerID: "e-001", Date: date(2026, 10, 28), Score: 95},
		Record{ID: "R-7", Kind: Renewals, EngineerID: "e-002", Date: date(2026, 11, 3), CustomerID: "C-200", Renewed: true},
	)

	got := People(all, october)
	want := map[string]metric.People{
		// training.csv: 1.5 h (assigned, completed) + 2 h (assigned)
		// knowledge.csv: 72 on the 2nd, 86.5 on the 28th corrected to 95
		// collaboration.csv: shares 1 + 2; sessions held 2, attended 1; cases 3
		// renewals.csv: C-100 renewed, C-101 not
		"e-001": {
			TrainingHours: ptr(3.5), TrainingSessions: 2, CoursesAssigned: 2, CoursesCompleted: 1,
			KnowledgeScore:  ptr(95.0),
			KnowledgeShares: ptr(3), SkillSessionsHeld: 2, SkillSessionsAtt: 1, CollaborationCases: 3,
			RenewalsDue: 2, Renewed: 1,
		},
		// training.csv: LMS-9 3 h unassigned; two assigned course statuses without hours, one completed
		// knowledge.csv: 90
		// collaboration.csv: a session attended; two identical case rows are two cases; no shares is a real 0
		// renewals.csv: R-7 moved to November, C-201 is in November
		"e-002": {
			TrainingHours: ptr(3.0), TrainingSessions: 1, CoursesAssigned: 2, CoursesCompleted: 1,
			KnowledgeScore:  ptr(90.0),
			KnowledgeShares: ptr(0), SkillSessionsHeld: 1, SkillSessionsAtt: 1, CollaborationCases: 2,
		},
		// e-003 has records on 30 September and 1 November only.
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("People (-want +got):\n%s", diff)
	}
}

func TestPeopleRules(t *testing.T) {
	tr := func(id string, day int, hours float64, assigned, completed bool) Record {
		return Record{ID: id, Kind: Training, EngineerID: "e", Date: date(2026, 10, day), Hours: hours, Assigned: assigned, Completed: completed}
	}
	kn := func(id string, day int, score float64) Record {
		return Record{ID: id, Kind: Knowledge, EngineerID: "e", Date: date(2026, 10, day), Score: score}
	}
	co := func(id, activity string, attended bool, count int) Record {
		return Record{ID: id, Kind: Collaboration, EngineerID: "e", Date: date(2026, 10, 1), Activity: activity, Attended: attended, Count: count}
	}
	tests := []struct {
		name string
		recs []Record
		want metric.People
	}{
		{"zero training hours is a real 0", []Record{tr("a", 1, 0, false, false)},
			metric.People{TrainingHours: ptr(0.0)}},
		{"an assigned course without hours still means training data", []Record{tr("a", 1, 0, true, false)},
			metric.People{TrainingHours: ptr(0.0), CoursesAssigned: 1}},
		{"a completed course that was not assigned counts for its hours only", []Record{tr("a", 1, 2, false, true)},
			metric.People{TrainingHours: ptr(2.0), TrainingSessions: 1}},
		{"the latest assessment by date", []Record{kn("b", 20, 70), kn("a", 25, 80), kn("c", 3, 90)},
			metric.People{KnowledgeScore: ptr(80.0)}},
		{"on the same date, the greater id", []Record{kn("b", 20, 70), kn("a", 20, 80)},
			metric.People{KnowledgeScore: ptr(70.0)}},
		{"no knowledge shares beside a case is a real 0", []Record{co("a", Case, false, 1)},
			metric.People{KnowledgeShares: ptr(0), CollaborationCases: 1}},
		{"a knowledge share with count 0 records a real 0", []Record{co("a", KnowledgeShare, false, 0)},
			metric.People{KnowledgeShares: ptr(0)}},
		{"sessions held and attended sum their counts", []Record{co("a", SkillSession, true, 3), co("b", SkillSession, false, 2)},
			metric.People{KnowledgeShares: ptr(0), SkillSessionsHeld: 5, SkillSessionsAtt: 3}},
		{"a duplicate id counts once, the last one given", []Record{co("a", Case, false, 5), co("a", Case, false, 2)},
			metric.People{KnowledgeShares: ptr(0), CollaborationCases: 2}},
		{"records without ids are never duplicates", []Record{co("", Case, false, 1), co("", Case, false, 1)},
			metric.People{KnowledgeShares: ptr(0), CollaborationCases: 2}},
		{"the same id in two kinds is two records", []Record{co("a", Case, false, 1), kn("a", 1, 60)},
			metric.People{KnowledgeScore: ptr(60.0), KnowledgeShares: ptr(0), CollaborationCases: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(map[string]metric.People{"e": tc.want}, People(tc.recs, october)); diff != "" {
				t.Errorf("People (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPeopleIgnoresOtherMonthsAndUnknownKinds(t *testing.T) {
	recs := []Record{
		{ID: "a", Kind: Knowledge, EngineerID: "e", Date: date(2026, 9, 30), Score: 1},
		{ID: "b", Kind: Knowledge, EngineerID: "e", Date: date(2026, 11, 1), Score: 1},
		{ID: "c", Kind: "payroll", EngineerID: "e", Date: date(2026, 10, 1)},
		{ID: "d", Kind: Knowledge, Date: date(2026, 10, 1), Score: 1},
	}
	if got := People(recs, october); len(got) != 0 {
		t.Errorf("People = %v, want nothing", got)
	}
}

func TestPeopleDoesNotDependOnOrder(t *testing.T) {
	all := allFiles(t)
	want := People(all, october)
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		shuffled := slices.Clone(all)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if diff := cmp.Diff(want, People(shuffled, october)); diff != "" {
			t.Fatalf("People of shuffled records (-in order +shuffled):\n%s", diff)
		}
	}
}

func TestCheck(t *testing.T) {
	known := func(id string) bool { return strings.HasPrefix(id, "e-00") && id != "e-003" }
	t.Run("a CSV's unknown engineers by line", func(t *testing.T) {
		err := Check(parseFile(t, Training, "training.csv"), known)
		want := []string{`line 7: engineer_id: "e-003" is not in the directory`}
		if diff := cmp.Diff(want, problems(t, err)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(errcode.Message(err), "training CSV: 1 problem\n") {
			t.Errorf("message = %q", errcode.Message(err))
		}
	})
	t.Run("a webhook's unknown engineers by index", func(t *testing.T) {
		recs, err := ParseWebhook(readFile(t, "webhook.json"))
		if err != nil {
			t.Fatal(err)
		}
		err = Check(recs, func(id string) bool { return id != "e-001" })
		var want []string
		for _, i := range []int{0, 2, 3, 4, 5} {
			want = append(want, `records[`+string(rune('0'+i))+`].engineer_id: "e-001" is not in the directory`)
		}
		if diff := cmp.Diff(want, problems(t, err)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		if !strings.HasPrefix(errcode.Message(err), "records webhook: 5 problems\n") {
			t.Errorf("message = %q", errcode.Message(err))
		}
	})
	t.Run("records of several files", func(t *testing.T) {
		err := Check(allFiles(t), known)
		if !strings.HasPrefix(errcode.Message(err), "records: 2 problems\n") {
			t.Errorf("message = %q", errcode.Message(err))
		}
	})
	t.Run("every engineer known", func(t *testing.T) {
		if err := Check(allFiles(t), func(string) bool { return true }); err != nil {
			t.Errorf("err = %v", err)
		}
	})
}
