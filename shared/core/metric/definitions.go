// Package metric owns the plan's metrics: their definitions (this file, the
// one place they are written down, matching DESIGN.md §2) and their
// measurement from ticket states, survey answers and people records for one
// month (measure.go). It is pure: no I/O, time passed in.
package metric

// ID names a metric; the ids are part of the stored results and the scores
// JSON, so they never change.
type ID string

// Metric ids (DESIGN §2).
const (
	CSATScore                  ID = "csat_score"
	CSATSatisfiedRate          ID = "csat_satisfied_rate"
	ComplaintRate              ID = "complaint_rate"
	Complaint24hRate           ID = "complaint_24h_rate"
	RenewalRate                ID = "renewal_rate"
	ResolutionSLARate          ID = "resolution_sla_rate"
	AvgHandleHours             ID = "avg_handle_hours"
	CompletionRate             ID = "completion_rate"
	ResolutionSuccessRate      ID = "resolution_success_rate"
	FollowupConfirmedRate      ID = "followup_confirmed_rate"
	LeadProblemSolvingScore    ID = "lead_problem_solving_score"
	QualityReviewScore         ID = "quality_review_score"
	AvgFirstResponseHours      ID = "avg_first_response_hours"
	FirstResponse1hRate        ID = "first_response_1h_rate"
	TrainingHours              ID = "training_hours"
	TrainingCompletionRate     ID = "training_completion_rate"
	KnowledgeScore             ID = "knowledge_score"
	LeadCollaborationScore     ID = "lead_collaboration_score"
	LeadAttitudeScore          ID = "lead_attitude_score"
	KnowledgeSharesPerWeek     ID = "knowledge_shares_per_week"
	SkillExchangeParticipation ID = "skill_exchange_participation"
	CollaborationCases         ID = "collaboration_cases"
)

// Dimension ids.
const (
	CustomerSatisfaction = "customer_satisfaction"
	ProblemResolution    = "problem_resolution"
	ResponseTime         = "response_time"
	ContinuousLearning   = "continuous_learning"
	TeamCollaboration    = "team_collaboration"
)

// Sample kinds: what a metric's n counts, and so which minimum sample of the
// policy applies to it.
const (
	SampleTickets = "tickets"
	SampleSurveys = "surveys"
	SampleReviews = "reviews"
	SampleNone    = ""
)

// Def is a metric's definition.
type Def struct {
	ID         ID
	Dimension  string
	Definition string // DESIGN §2, word for word in meaning
	Unit       string // "points" (0–100), "rate" (fraction), "hours", "count", "per_week"
	Lower      bool   // lower is better (points mirrored)
	Source     string // evaluation source: data, feedback, lead, records
	Sample     string // SampleTickets, SampleSurveys or SampleNone
	Bonus      bool   // adds points to its dimension; no target
}

// Defs lists every metric in the order of DESIGN §2.
var Defs = []Def{
	{CSATScore, CustomerSatisfaction, "mean survey rating on 0–100 (rating r of 1–5 → (r−1)·25), answers counted in the month received", "points", false, "feedback", SampleSurveys, false},
	{CSATSatisfiedRate, CustomerSatisfaction, "share of survey ratings that are 4 or 5", "rate", false, "feedback", SampleSurveys, false},
	{ComplaintRate, CustomerSatisfaction, "complaint tickets / tickets handled (final resolution in the month credited to the engineer)", "rate", true, "data", SampleTickets, false},
	{Complaint24hRate, CustomerSatisfaction, "complaints resolved within 24 calendar hours of creation / complaints resolved", "rate", false, "data", SampleTickets, false},
	{RenewalRate, CustomerSatisfaction, "renewals / renewals due, for customers the engineer served (imported)", "rate", false, "records", SampleNone, false},
	{ResolutionSLARate, ProblemResolution, "tickets resolved within their priority's SLA / (tickets resolved + tickets whose SLA fell due unresolved)", "rate", false, "data", SampleTickets, false},
	{AvgHandleHours, ProblemResolution, "mean created → final resolution, time in pending excluded", "hours", true, "data", SampleTickets, false},
	{CompletionRate, ProblemResolution, "tickets resolved / tickets assigned to the engineer and due in the month", "rate", false, "data", SampleTickets, false},
	{ResolutionSuccessRate, ProblemResolution, "tickets first resolved in the month and not reopened within the reopen window (7 days)", "rate", false, "data", SampleTickets, false},
	{FollowupConfirmedRate, ProblemResolution, "survey answers \"problem solved: yes\" / answers to that question", "rate", false, "feedback", SampleSurveys, false},
	{LeadProblemSolvingScore, ProblemResolution, "team lead's problem-solving rating (0–100)", "points", false, "lead", SampleNone, false},
	{QualityReviewScore, ProblemResolution, "mean quality review score (0–100) of the engineer's sampled tickets, each ticket the mean of its reviews against the policy's rubric", "points", false, "reviews", SampleReviews, false},
	{AvgFirstResponseHours, ResponseTime, "mean created → first public reply by an agent", "hours", true, "data", SampleTickets, false},
	{FirstResponse1hRate, ResponseTime, "share of tickets first answered within 1 hour", "rate", false, "data", SampleTickets, false},
	{TrainingHours, ContinuousLearning, "training hours attended in the month", "hours", false, "records", SampleNone, false},
	{TrainingCompletionRate, ContinuousLearning, "assigned courses completed / assigned courses", "rate", false, "records", SampleNone, false},
	{KnowledgeScore, ContinuousLearning, "latest knowledge assessment (0–100)", "points", false, "records", SampleNone, false},
	{LeadCollaborationScore, TeamCollaboration, "team lead's collaboration rating (0–100)", "points", false, "lead", SampleNone, false},
	{LeadAttitudeScore, TeamCollaboration, "team lead's work-attitude rating (0–100)", "points", false, "lead", SampleNone, false},
	{KnowledgeSharesPerWeek, TeamCollaboration, "knowledge-sharing posts / talks per week", "per_week", false, "records", SampleNone, false},
	{SkillExchangeParticipation, TeamCollaboration, "skill-exchange sessions attended / held", "rate", false, "records", SampleNone, false},
	{CollaborationCases, TeamCollaboration, "recorded collaboration cases + tickets of others the engineer wrote internal notes on", "count", false, "records", SampleNone, true},
}

// Lookup returns a metric's definition.
func Lookup(id ID) (Def, bool) {
	for _, d := range Defs {
		if d.ID == id {
			return d, true
		}
	}
	return Def{}, false
}

// Dimensions lists the dimension ids in the plan's order.
var Dimensions = []string{CustomerSatisfaction, ProblemResolution, ResponseTime, ContinuousLearning, TeamCollaboration}
