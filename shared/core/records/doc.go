// Package records owns the people records that HR or a learning / HR system
// imports — training, knowledge assessments, collaboration and customer
// renewals — and their aggregation into one month's metric inputs
// (metric.People): training_hours, training_completion_rate,
// knowledge_score, knowledge_shares_per_week, skill_exchange_participation,
// collaboration_cases and renewal_rate (DESIGN §2). The team lead's ratings
// are not records; they come from the assessment round.
//
// Records arrive as a CSV file per kind (`scorecard import training FILE.csv`)
// or as a signed webhook (POST /webhooks/records). Both are validated the same
// way, as a whole: every problem is named ("line 4: hours: ..." or
// "records[3].hours: ..."), and nothing is returned unless everything is
// good. Whether each engineer_id is in the directory is checked by the caller
// with Check, which names the lines in the same way.
//
// # CSV files
//
// One file per kind, UTF-8 ("CSV UTF-8" in Excel; a byte-order mark is fine),
// comma separated, with a header row. Columns may come in any order; names
// are matched case-insensitively after trimming; unknown or repeated columns
// are rejected. Cells are trimmed; blank rows are skipped. Dates are
// YYYY-MM-DD. Yes/no cells take yes/no, true/false or 1/0 in any letter case;
// an empty yes/no cell is "no" unless the table says it is required.
//
// Training (`scorecard import training`): a training session attended, or the
// status of a course assigned to the engineer, or both on one row. Header:
// `id,engineer_id,date,hours,course,assigned,completed`.
//
//	| column      | required | value                                                          |
//	|-------------|----------|----------------------------------------------------------------|
//	| id          | no       | the record's id in your system; see "Ids" below                |
//	| engineer_id | yes      | the engineer's id in the directory                             |
//	| date        | yes      | YYYY-MM-DD: the day of the session, or of the course status    |
//	| hours       | yes¹     | hours attended that day, 0 to 24 (1.5 = an hour and a half)    |
//	| course      | no       | course or session name                                         |
//	| assigned    | no       | yes if the course was assigned to the engineer (empty = no)    |
//	| completed   | no       | yes if the assigned course is completed (empty = no)           |
//
// ¹ hours may be empty on a row with assigned = yes (a course status only);
// the header needs an hours or an assigned column.
//
// Knowledge assessments (`scorecard import knowledge`). Header:
// `id,engineer_id,date,score`.
//
//	| column      | required | value                                     |
//	|-------------|----------|-------------------------------------------|
//	| id          | no       | see "Ids" below                           |
//	| engineer_id | yes      | the engineer's id in the directory        |
//	| date        | yes      | YYYY-MM-DD: the day of the assessment     |
//	| score       | yes      | the assessment score, 0 to 100            |
//
// Collaboration (`scorecard import collaboration`): one row per activity,
// or per kind of activity and day with a count. Header:
// `id,engineer_id,date,activity,attended,count`.
//
//	| column      | required           | value                                                                  |
//	|-------------|--------------------|------------------------------------------------------------------------|
//	| id          | no                 | see "Ids" below                                                        |
//	| engineer_id | yes                | the engineer's id in the directory                                     |
//	| date        | yes                | YYYY-MM-DD                                                             |
//	| activity    | yes                | knowledge_share (a post or talk), skill_session (a skill-exchange session held for the engineer) or case (a collaboration case) |
//	| attended    | for skill_session  | yes if the engineer attended the session, no if they missed it; ignored for other activities |
//	| count       | no                 | how many, a whole number 0 to 1000 (empty = 1; 0 records a real zero)  |
//
// Renewals (`scorecard import renewals`): one row per customer renewal that
// fell due, for a customer the engineer served. Header:
// `id,engineer_id,date,customer_id,renewed` (or month for date).
//
//	| column      | required | value                                                           |
//	|-------------|----------|-----------------------------------------------------------------|
//	| id          | no       | see "Ids" below                                                 |
//	| engineer_id | yes      | the engineer's id in the directory                              |
//	| date        | yes²     | YYYY-MM-DD the renewal fell due, or just the month YYYY-MM      |
//	| customer_id | yes      | the customer's id                                               |
//	| renewed     | yes      | yes if the customer renewed, no if not                          |
//
// ² instead of date, a month column (YYYY-MM) may be used; not both.
//
// WriteCSV writes the columns in the order of the tables (Columns), with
// yes/no values and every id filled in, so that an export can be edited and
// imported again.
//
// # Webhook
//
// POST /webhooks/records, signed like the generic ticket webhook
// (`X-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, see Verify),
// carries up to 500 records of any kinds:
//
//	{"records": [
//	  {"kind": "training", "id": "lms-77", "engineer_id": "e-001", "date": "2026-10-05", "hours": 1.5, "course": "Safety", "assigned": true, "completed": true},
//	  {"kind": "knowledge", "engineer_id": "e-001", "date": "2026-10-20", "score": 86},
//	  {"kind": "collaboration", "engineer_id": "e-001", "date": "2026-10-09", "activity": "skill_session", "attended": false},
//	  {"kind": "renewals", "engineer_id": "e-001", "month": "2026-10", "customer_id": 4711, "renewed": true}]}
//
// The fields are the CSV columns of the record's kind plus "kind"; null is
// the same as leaving a field out. Ids may be strings or integers; numbers
// may also be sent as numeric strings and yes/no values as booleans, 0/1 or
// the CSV words. A field that does not belong to the record's kind is an
// error (a typo would otherwise drop data silently).
//
// # Ids
//
// Every record has an id, the key that makes importing idempotent. It is the
// id column when given (the record's id in the LMS or HR system; unique per
// kind within one file or request). Otherwise it is a hash of the kind and
// the normalised row (the row as WriteCSV writes it, without the id), so
// importing the same file again gives the same ids and changes nothing. The
// n-th identical row of one file gets its own id: two identical rows are two
// records (two cases on the same day), and a re-import still matches them.
// A record whose id comes again later replaces the earlier one (last one
// wins): to change a record after importing it — a course completed, a
// renewal signed late — import it with its id. Without an id a changed row is
// a new record beside the old one.
//
// # Aggregation (People)
//
// People aggregates, per engineer id, the records dated in a month. Dates
// are civil dates, so the month is the calendar month of the date, whatever
// the policy's time zone. Records with the same kind and id count once: the
// last one in the order given wins, and it alone decides the month.
//
//   - TrainingHours = the sum of hours of the engineer's training rows in the
//     month; nil when there is no training row (no data, not 0 hours).
//     TrainingSessions = the rows with hours > 0.
//   - CoursesAssigned = the training rows with assigned = yes;
//     CoursesCompleted = those of them with completed = yes (a completed
//     course that was not assigned counts for its hours only).
//   - KnowledgeScore = the score of the latest assessment in the month (by
//     date, then by id); nil when there is none.
//   - KnowledgeShares = the sum of counts of knowledge_share rows; non-nil as
//     soon as the engineer has any collaboration row in the month, so that
//     "no shares" beside other collaboration records is a real 0.
//   - SkillSessionsHeld = the sum of counts of skill_session rows;
//     SkillSessionsAtt = the sum of counts of those attended.
//   - CollaborationCases = the sum of counts of case rows (the ticket-based
//     part, internal notes on others' tickets, is counted by the metric
//     package from events).
//   - RenewalsDue = the renewals rows in the month; Renewed = those renewed.
//   - LeadProblemSolving, LeadCollaboration and LeadAttitude stay nil: they
//     are the lead assessment's.
//
// Engineers with no record in the month are absent from the result.
package records
