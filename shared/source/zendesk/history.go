package zendesk

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/source/vendorapi"
)

// History import (day one): Zendesk's Incremental Ticket Event Export,
//
//	GET /api/v2/incremental/ticket_events.json?start_time=<unix>&include=comment_events
//
// (admins only; 10 requests a minute, 30 with the High Volume add-on; a
// page holds up to 1000 ticket events, each an update ("Audit") of one
// ticket with its child events). The cursor is the next start_time: the
// start_time of the page's next_page (else its end_time). Time-based
// export pages may repeat the events of the second they end on at the top
// of the next page; the ids are the same, so they are stored once.
//
// Each audit's child events map like the webhooks (parse.go):
//
//	Create children (status, priority, type, tags,    one created event (requester → Customer)
//	  assignee_id, requester_id; one field each)
//	Change status / priority / type / tags / assignee_id   status_changed / priority_changed /
//	                                                        tags_changed (type, or the full tag set) / assigned
//	Comment (comment_events sideload: author_id, public;    replied or note, as comment_added: the
//	  without it comment_present/comment_public and the     author is a person unless it is -1 (system)
//	  audit's updater as author)                             or the ticket's requester named on the page
//	Change satisfaction_score (+ satisfaction_comment),     survey_answered: good 5, bad 1, a 1–5 score as
//	  or a SatisfactionRating child (score, body)            it is; offered/unoffered nothing
//
// The export names no author roles. A comment author is therefore the
// customer when the ticket's requester is known from the page (a Create or
// requester Change child on the same page), Zendesk's system user (-1) a
// system actor, and anyone else a person (event.Person), whom the
// directory judges when the month is scored; a private comment by a person
// is a note, as in the webhook adapter. Limitation: a requester's private
// comment (a messaging transcript) on a page that does not name the
// requester is read as a note.
//
// Values the model has no place for (other fields, other child event
// types, lifecycle statuses, statuses, priorities or ticket types Zendesk
// may add, ticket events without child events) are skipped, never an
// error; an answer that cannot be read (wrong JSON types, a missing id,
// ticket_id, time or end_time) is an errcode.Invalid naming the field.

// maxUnix bounds the Unix times read (the year 2100).
const maxUnix = 4102444800

// historyPath is the export's endpoint.
const historyPath = "/api/v2/incremental/ticket_events.json"

// Exporter reads a Zendesk account's ticket history page by page; it is
// a vendorapi.Exporter.
type Exporter struct {
	api   *vendorapi.Client
	since time.Time
}

// NewExporter returns an exporter of the changes since `since` (the first
// page's start_time), read with api (the account's URL and an admin's
// "<e-mail>/token" and API token).
func NewExporter(api *vendorapi.Client, since time.Time) *Exporter {
	return &Exporter{api: api, since: since}
}

var _ vendorapi.Exporter = (*Exporter)(nil)

// Next reads the page at cursor ("" is the first page). Errors from the
// API (*vendorapi.RetryLater among them) are returned as they are.
func (x *Exporter) Next(ctx context.Context, cursor string) (vendorapi.Page, error) {
	start := x.since.Unix()
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n < 0 {
			return vendorapi.Page{}, fmt.Errorf("zendesk history: cursor %q is not a start_time", event.Clip(cursor))
		}
		start = n
	}
	q := url.Values{"start_time": {strconv.FormatInt(start, 10)}, "include": {"comment_events"}}
	var raw json.RawMessage
	if err := x.api.GetJSON(ctx, historyPath, q, &raw); err != nil {
		return vendorapi.Page{}, err
	}
	p, err := ParseHistoryPage(raw)
	if err != nil {
		return vendorapi.Page{}, fmt.Errorf("zendesk history %s?start_time=%d: %w", historyPath, start, err)
	}
	p.Requests = 1
	// A page that ends where it started (every event of one second) must
	// not be asked for again: go on from the next second.
	if next, _ := strconv.ParseInt(p.Next, 10, 64); !p.Done && next <= start {
		p.Next = strconv.FormatInt(start+1, 10)
	}
	return p, nil
}

// historyAnswer is one page of the export.
type historyAnswer struct {
	TicketEvents *[]json.RawMessage `json:"ticket_events"`
	NextPage     *string            `json:"next_page"`
	EndTime      raw                `json:"end_time"`
	EndOfStream  *bool              `json:"end_of_stream"`
	Count        raw                `json:"count"`
}

// audit is one ticket event of the export: an update of one ticket.
type audit struct {
	ID          event.ID          `json:"id"`
	TicketID    event.ID          `json:"ticket_id"`
	Timestamp   *json.Number      `json:"timestamp"`
	CreatedAt   string            `json:"created_at"`
	UpdaterID   event.ID          `json:"updater_id"`
	EventType   string            `json:"event_type"`
	ChildEvents *[]map[string]raw `json:"child_events"`
}

// raw is a child event's field as sent.
type raw = json.RawMessage

// ParseHistoryPage reads one answer of the Incremental Ticket Event Export
// into its events (Source zendesk, Imported, "hist:zendesk:<audit>:<child>"
// ids), the number of distinct tickets, the next cursor (Next), how far
// it reaches (Through: end_time) and whether it is the last (Done:
// end_of_stream). Requests is left 0. The same answer always gives the
// same page.
func ParseHistoryPage(body []byte) (vendorapi.Page, error) {
	var a historyAnswer
	if err := event.DecodeObject(body, &a); err != nil {
		return vendorapi.Page{}, err
	}
	var p vendorapi.Page
	if a.TicketEvents == nil {
		return p, event.Invalid("ticket_events", "is required")
	}
	if len(a.EndTime) == 0 || string(a.EndTime) == "null" {
		return p, event.Invalid("end_time", "is required")
	}
	end, err := strconv.ParseInt(string(a.EndTime), 10, 64)
	if err != nil || end < 0 || end > maxUnix {
		return p, event.Invalid("end_time", "%s is not a Unix time", event.Clip(string(a.EndTime)))
	}
	p.Through = time.Unix(end, 0).UTC()
	p.Next = strconv.FormatInt(end, 10)
	if a.NextPage != nil && strings.TrimSpace(*a.NextPage) != "" {
		u, err := url.Parse(strings.TrimSpace(*a.NextPage))
		if err != nil {
			return p, event.Invalid("next_page", "is not a URL")
		}
		if s := u.Query().Get("start_time"); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 || n > maxUnix {
				return p, event.Invalid("next_page", "start_time %q is not a Unix time", event.Clip(s))
			}
			p.Next = strconv.FormatInt(n, 10)
		}
	}
	// end_of_stream is documented; an answer without it and without a
	// next page is the end too.
	switch {
	case a.EndOfStream != nil:
		p.Done = *a.EndOfStream
	default:
		p.Done = a.NextPage == nil || strings.TrimSpace(*a.NextPage) == ""
	}
	if len(a.Count) > 0 && string(a.Count) != "null" {
		if _, err := strconv.ParseInt(string(a.Count), 10, 64); err != nil {
			return p, event.Invalid("count", "%s is not an integer", event.Clip(string(a.Count)))
		}
	}

	// The requesters named on the page, to tell a customer's comment.
	audits := make([]audit, 0, len(*a.TicketEvents))
	requesters := map[string]string{}
	tickets := map[string]bool{}
	for i, rawAudit := range *a.TicketEvents {
		field := fmt.Sprintf("ticket_events[%d]", i)
		var au audit
		if t := bytes.TrimSpace(rawAudit); len(t) == 0 || t[0] != '{' {
			return vendorapi.Page{}, event.Invalid(field, "must be an object")
		}
		if err := json.Unmarshal(rawAudit, &au); err != nil {
			return vendorapi.Page{}, event.JSONProblem(field+".", err)
		}
		if au.ChildEvents == nil && !strings.EqualFold(strings.TrimSpace(au.EventType), "Audit") {
			continue // not a ticket update (the docs' example shows a metric event here)
		}
		audits = append(audits, au)
		tid, err := event.RequiredID(field+".ticket_id", string(au.TicketID))
		if err != nil {
			return vendorapi.Page{}, err
		}
		tickets[tid] = true
		if au.ChildEvents == nil {
			continue
		}
		for j, c := range *au.ChildEvents {
			kind := childType(c)
			if kind != "create" && kind != "change" {
				continue
			}
			if v, ok := c["requester_id"]; ok {
				id, err := idValue(fmt.Sprintf("%s.child_events[%d].requester_id", field, j), v)
				if err != nil {
					return vendorapi.Page{}, err
				}
				if id != "" {
					requesters[tid] = id
				}
			}
		}
	}
	p.Tickets = len(tickets)
	for i, au := range audits {
		evs, err := auditEvents(fmt.Sprintf("ticket_events[%d]", i), au, requesters)
		if err != nil {
			return vendorapi.Page{}, err
		}
		p.Events = append(p.Events, evs...)
	}
	return p, nil
}

// childType is a child event's event_type, lower case.
func childType(c map[string]raw) string {
	var s string
	if v, ok := c["event_type"]; ok {
		_ = json.Unmarshal(v, &s)
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// auditEvents maps one audit's child events.
func auditEvents(field string, au audit, requesters map[string]string) ([]event.Event, error) {
	auditID, err := event.RequiredID(field+".id", string(au.ID))
	if err != nil {
		return nil, err
	}
	ticketID := strings.TrimSpace(string(au.TicketID))
	if au.ChildEvents == nil || len(*au.ChildEvents) == 0 {
		return nil, nil
	}
	at, err := auditTime(field, au)
	if err != nil {
		return nil, err
	}
	updater, err := event.OptionalID(field+".updater_id", string(au.UpdaterID))
	if err != nil {
		return nil, err
	}
	base := func(childID string) event.Event {
		return event.Event{Source: Source, ID: vendorapi.HistoryID(Source, auditID, childID), TicketID: ticketID, OccurredAt: at, Imported: true}
	}
	var out []event.Event
	var created *event.Event
	var survey *event.Event
	surveyComment := ""
	for j, c := range *au.ChildEvents {
		cf := fmt.Sprintf("%s.child_events[%d]", field, j)
		var rawID event.ID
		if err := json.Unmarshal(orNull(c["id"]), &rawID); err != nil {
			return nil, event.Invalid(cf+".id", "must be a string or an integer")
		}
		childID, err := event.RequiredID(cf+".id", string(rawID))
		if err != nil {
			return nil, err
		}
		switch childType(c) {
		case "create":
			if created == nil {
				e := base(childID)
				e.Type = event.Created
				created = &e
			}
			if err := createField(cf, c, created); err != nil {
				return nil, err
			}
		case "change":
			e := base(childID)
			keep, comment, isComment, err := changeField(cf, c, &e, updater)
			if err != nil {
				return nil, err
			}
			if isComment {
				surveyComment = comment
				continue
			}
			if !keep {
				continue
			}
			if e.Type == event.SurveyAnswered {
				if survey == nil {
					survey = &e
				}
				continue
			}
			out = append(out, e)
		case "comment":
			e := base(childID)
			keep, err := comment(cf, c, &e, updater, requesters[ticketID])
			if err != nil {
				return nil, err
			}
			if keep {
				out = append(out, e)
			}
		case "satisfactionrating":
			e := base(childID)
			keep, err := ratingEvent(cf, c, &e, updater)
			if err != nil {
				return nil, err
			}
			if keep && survey == nil {
				survey = &e
			}
		}
	}
	if created != nil {
		if r := requesters[ticketID]; r != "" && created.Customer == nil {
			created.Customer = &event.CustomerInfo{ID: r}
		}
		out = append([]event.Event{*created}, out...)
	}
	if survey != nil {
		if survey.Comment == "" {
			survey.Comment = strings.TrimSpace(surveyComment)
		}
		out = append(out, *survey)
	}
	return out, nil
}

// orNull is v, or JSON null when the field was not sent.
func orNull(v raw) raw {
	if len(bytes.TrimSpace(v)) == 0 {
		return raw("null")
	}
	return v
}

// createFields and changeFields are the child event fields the model
// uses, in the order they are read (a child names one; the order only
// makes a malformed one read the same way every time).
var (
	createFields = []string{"status", "priority", "type", "tags", "assignee_id", "requester_id"}
	changeFields = []string{"status", "priority", "type", "tags", "assignee_id", "satisfaction_score", "satisfaction_comment"}
)

// auditTime is when the update was made: created_at, else timestamp.
func auditTime(field string, au audit) (time.Time, error) {
	if strings.TrimSpace(au.CreatedAt) != "" {
		return event.ParseTime(field+".created_at", au.CreatedAt)
	}
	if au.Timestamp == nil {
		return time.Time{}, event.Invalid(field+".created_at", "is required (or timestamp)")
	}
	n, err := au.Timestamp.Int64()
	if err != nil {
		return time.Time{}, event.Invalid(field+".timestamp", "%q is not a Unix time", event.Clip(au.Timestamp.String()))
	}
	return event.CheckTime(field+".timestamp", time.Unix(n, 0))
}

// stringValue reads a field value that is a string or null ("").
func stringValue(field string, v raw) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", event.Invalid(field, "must be a string or null")
	}
	return strings.TrimSpace(s), nil
}

// idValue reads an id that is a string, an integer or null ("").
func idValue(field string, v raw) (string, error) {
	var id event.ID
	if err := json.Unmarshal(v, &id); err != nil {
		return "", event.Invalid(field, "must be a string, an integer or null")
	}
	return event.OptionalID(field, string(id))
}

// tagsValue reads a tag list (null is none).
func tagsValue(field string, v raw) ([]string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	var tags []string
	if err := json.Unmarshal(v, &tags); err != nil {
		return nil, event.Invalid(field, "must be an array of strings")
	}
	return event.NormalizeTags(tags), nil
}

// createField adds one Create child's field to the created event.
func createField(cf string, c map[string]raw, e *event.Event) error {
	for _, name := range createFields {
		v, ok := c[name]
		if !ok {
			continue
		}
		f := cf + "." + name
		switch name {
		case "status":
			s, err := stringValue(f, v)
			if err != nil {
				return err
			}
			if st, ok := parseStatus(s); ok && st != "" {
				e.Status = st
			}
		case "priority":
			s, err := stringValue(f, v)
			if err != nil {
				return err
			}
			if p, err := parsePriority(f, s); err == nil && p != "" {
				e.Priority = p
			}
		case "type":
			s, err := stringValue(f, v)
			if err != nil {
				return err
			}
			if t, err := parseTicketType(f, s); err == nil && t != "" {
				e.TicketType = t
			}
		case "tags":
			tags, err := tagsValue(f, v)
			if err != nil {
				return err
			}
			e.HasTags, e.Tags = true, tags
		case "assignee_id":
			id, err := idValue(f, v)
			if err != nil {
				return err
			}
			e.AssigneeID = id
		case "requester_id":
			id, err := idValue(f, v)
			if err != nil {
				return err
			}
			if id != "" {
				e.Customer = &event.CustomerInfo{ID: id}
			}
		}
	}
	return nil
}

// changeField maps one Change child. isComment reports a
// satisfaction_comment (its text in comment) for the audit's rating.
func changeField(cf string, c map[string]raw, e *event.Event, updater string) (keep bool, comment string, isComment bool, err error) {
	for _, name := range changeFields {
		v, ok := c[name]
		if !ok {
			continue
		}
		f := cf + "." + name
		switch name {
		case "status":
			s, err := stringValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			st, ok := parseStatus(s)
			if !ok || st == "" {
				return false, "", false, nil // a lifecycle state, or one Zendesk added
			}
			e.Type, e.Status = event.StatusChanged, st
			return true, "", false, nil
		case "priority":
			s, err := stringValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			p, perr := parsePriority(f, s)
			if perr != nil || p == "" {
				return false, "", false, nil // cleared: the last value stays
			}
			e.Type, e.Priority = event.PriorityChanged, p
			return true, "", false, nil
		case "type":
			s, err := stringValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			t, terr := parseTicketType(f, s)
			if terr != nil || t == "" {
				return false, "", false, nil
			}
			e.Type, e.TicketType = event.TagsChanged, t
			return true, "", false, nil
		case "tags":
			tags, err := tagsValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			e.Type, e.HasTags, e.Tags = event.TagsChanged, true, tags
			return true, "", false, nil
		case "assignee_id":
			id, err := idValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			e.Type, e.AssigneeID = event.Assigned, id
			return true, "", false, nil
		case "satisfaction_score":
			s, err := stringValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			n, ok := ratingOf(s)
			if !ok {
				return false, "", false, nil
			}
			e.Type, e.Rating = event.SurveyAnswered, n
			rater(e, updater)
			return true, "", false, nil
		case "satisfaction_comment":
			s, err := stringValue(f, v)
			if err != nil {
				return false, "", false, err
			}
			return false, s, true, nil
		}
	}
	return false, "", false, nil
}

// rater names the customer who rated: the audit's updater.
func rater(e *event.Event, updater string) {
	if updater != "" && updater != systemUserID {
		e.Actor = event.Actor{ID: updater, Kind: event.Customer}
		e.Customer = &event.CustomerInfo{ID: updater}
	}
}

// ratingOf maps a satisfaction score as the satisfaction trigger's body is
// mapped: good 5, bad 1, 1–5 as it is; anything else (unoffered, offered,
// a scale Zendesk may add) is no answer.
func ratingOf(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(s, "good"):
		return 5, true
	case strings.HasPrefix(s, "bad"):
		return 1, true
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 5 {
		return n, true
	}
	return 0, false
}

// ratingEvent maps a SatisfactionRating child (score, body).
func ratingEvent(cf string, c map[string]raw, e *event.Event, updater string) (bool, error) {
	s, err := stringValue(cf+".score", c["score"])
	if err != nil {
		return false, err
	}
	n, ok := ratingOf(s)
	if !ok {
		return false, nil
	}
	body, err := stringValue(cf+".body", c["body"])
	if err != nil {
		return false, err
	}
	e.Type, e.Rating, e.Comment = event.SurveyAnswered, n, body
	rater(e, updater)
	return true, nil
}

// comment maps a Comment child as the webhook adapter maps comment_added.
func comment(cf string, c map[string]raw, e *event.Event, updater, requester string) (bool, error) {
	var present *bool
	if v, ok := c["comment_present"]; ok && string(bytes.TrimSpace(v)) != "null" {
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			return false, event.Invalid(cf+".comment_present", "must be a boolean")
		}
		present = &b
	}
	if present != nil && !*present {
		return false, nil
	}
	var public *bool
	for _, name := range []string{"public", "comment_public"} {
		v, ok := c[name]
		if !ok || string(bytes.TrimSpace(v)) == "null" {
			continue
		}
		var b bool
		if err := json.Unmarshal(v, &b); err != nil {
			return false, event.Invalid(cf+"."+name, "must be a boolean")
		}
		public = &b
		break
	}
	if public == nil {
		return false, event.Invalid(cf+".public", "is required (or comment_public)")
	}
	author := updater
	if v, ok := c["author_id"]; ok {
		id, err := idValue(cf+".author_id", v)
		if err != nil {
			return false, err
		}
		if id != "" {
			author = id
		}
	}
	if v, ok := c["created_at"]; ok {
		s, err := stringValue(cf+".created_at", v)
		if err != nil {
			return false, err
		}
		if s != "" {
			if e.OccurredAt, err = event.ParseTime(cf+".created_at", s); err != nil {
				return false, err
			}
		}
	}
	var kind event.ActorKind
	switch {
	case author == "":
		return false, nil // nobody to credit: nothing the metrics can use
	case author == systemUserID:
		kind = event.System
	case author == requester:
		kind = event.Customer
	default:
		kind = event.Person
	}
	e.Actor = event.Actor{ID: author, Kind: kind}
	if kind == event.Person && !*public {
		e.Type, e.Actor.Kind = event.Note, event.Agent
	} else {
		e.Type, e.Public = event.Replied, *public
	}
	return true, nil
}
