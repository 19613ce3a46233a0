package jira

// History import: reading Jira's REST API for the events its webhooks would
// have produced, for the months before the product was deployed.
//
// Search (issues updated since the start, oldest update first, with the
// changelog and the comments embedded):
//
//	Cloud        GET /rest/api/3/search/jql?jql=&nextPageToken=&maxResults=&fields=&expand=changelog
//	             (the old /rest/api/2|3/search with startAt "has been fully
//	             removed from Jira Cloud": Atlassian KB, Run JQL search query
//	             using Jira Cloud REST API,
//	             https://confluence.atlassian.com/display/JIRAKB/Run+JQL+search+query+using+Jira+Cloud+REST+API)
//	Data Center  GET /rest/api/2/search?jql=&startAt=&maxResults=&fields=&expand=changelog
//
// Cloud embeds only the most recent histories of a long changelog (100 on
// the old search, 40 reported on /search/jql): when changelog.total exceeds
// what it holds, the whole changelog is read from
// GET /rest/api/3/issue/{id}/changelog?startAt=&maxResults=100 (oldest
// first) and merged by history id. Data Center has no changelog endpoint
// (Server REST 8.x) and embeds the whole changelog; should one come short,
// GET /rest/api/2/issue/{id}?expand=changelog is read once.
//
// Comments embedded in fields.comment are read from
// GET /rest/api/2/issue/{id}/comment?startAt=&maxResults= when comment.total
// exceeds what they hold. Whether a JSM comment is public: on Cloud the
// comment's jsdPublic (the field the webhooks carry); on Data Center the
// comment property sd.public.comment ({"internal": true} is internal), read
// with expand=properties from the comment endpoint for issues of
// service_desk projects (Data Center comments carry no jsdPublic).
//
// Events and their mapping are the webhook adapter's (parse.go): the
// created event carries the issue's initial status, priority, labels, type
// and assignee, found by unwinding the changelog from the current values;
// each changelog item of a handled field is one event, each comment a reply
// or a note. Ids are "hist:jira:<issue id>:created",
// "hist:jira:<issue id>:changelog:<history id>:<item index>" and
// "hist:jira:<issue id>:comment:<comment id>".

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/shared/core/event"
	"scorecard/shared/core/policy"
	"scorecard/shared/source/vendorapi"
)

// History paging sizes.
const (
	// SearchPage is how many issues one search page asks for.
	SearchPage = 50
	// ChangelogPage is the changelog endpoint's page (its documented maximum).
	ChangelogPage = 100
	// CommentPage is how many comments one comment page asks for.
	CommentPage = 100
)

// searchFields are the issue fields the import reads.
var searchFields = "created,updated,status,priority,assignee,reporter,labels,issuetype,comment,project"

// Exporter reads a Jira site's history page by page (vendorapi.Exporter).
type Exporter struct {
	api   *vendorapi.Client
	cloud bool
	set   policy.Source
	since time.Time
	jql   string
	// PageSize is how many issues a page asks for (SearchPage if 0).
	PageSize int
	// Warn hears about values mapped by default (an unknown status or
	// priority); nil discards them.
	Warn func(field, problem string)
}

// NewExporter returns an exporter of the issues updated since since,
// optionally narrowed by jql (such as "project = SUP"). The edition comes
// from the credentials, else from the site's URL.
func NewExporter(api *vendorapi.Client, c vendorapi.Credentials, set policy.Source, since time.Time, jql string) *Exporter {
	return &Exporter{api: api, cloud: NewUsers(api, c).Cloud, set: set, since: since, jql: strings.TrimSpace(jql)}
}

// historyCursor is the opaque cursor: Cloud's nextPageToken, or Data
// Center's startAt.
type historyCursor struct {
	Token   string `json:"t,omitempty"`
	StartAt int    `json:"s,omitempty"`
}

func (c historyCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (historyCursor, error) {
	var c historyCursor
	if s == "" {
		return c, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.StartAt < 0 {
		return c, fmt.Errorf("jira history: cursor %q is not one this exporter made", event.Clip(s))
	}
	return c, nil
}

// JQL is the search the exporter runs. JQL reads dates in the user's own
// time zone, so the bound is taken a day early: issues read twice store
// nothing twice.
func (x *Exporter) JQL() string {
	q := fmt.Sprintf(`updated >= "%s"`, x.since.UTC().Add(-24*time.Hour).Format("2006/01/02 15:04"))
	if x.jql != "" {
		q += " AND (" + x.jql + ")"
	}
	return q + " ORDER BY updated ASC, id ASC"
}

// Next reads one page of issues and every follow-up page their changelogs
// and comments need.
func (x *Exporter) Next(ctx context.Context, cursor string) (vendorapi.Page, error) {
	cur, err := decodeCursor(cursor)
	if err != nil {
		return vendorapi.Page{}, err
	}
	size := cmp.Or(x.PageSize, SearchPage)
	q := url.Values{"jql": {x.JQL()}, "fields": {searchFields}, "expand": {"changelog"}, "maxResults": {strconv.Itoa(size)}}
	path := "/rest/api/2/search"
	if x.cloud {
		path = "/rest/api/3/search/jql"
		if cur.Token != "" {
			q.Set("nextPageToken", cur.Token)
		}
	} else {
		q.Set("startAt", strconv.Itoa(cur.StartAt))
	}
	var page vendorapi.Page
	var raw json.RawMessage
	if err := x.get(ctx, &page, path, q, &raw); err != nil {
		return vendorapi.Page{}, err
	}
	sp, err := decodeSearchPage(raw)
	if err != nil {
		return vendorapi.Page{}, fmt.Errorf("jira history %s: %w", path, err)
	}
	r := &reader{p: parser{d: event.Delivery{Warn: x.Warn}, set: x.set}}
	for i := range sp.Issues {
		is := &sp.Issues[i]
		at := fmt.Sprintf("issues[%d]", i)
		if err := x.complete(ctx, &page, is, at); err != nil {
			return vendorapi.Page{}, err
		}
		evs, err := r.issueEvents(is, at)
		if err != nil {
			return vendorapi.Page{}, fmt.Errorf("jira history %s: %w", path, err)
		}
		page.Events = append(page.Events, evs...)
		page.Through = is.through
	}
	page.Tickets = len(sp.Issues)
	if x.cloud {
		page.Done = sp.NextPageToken == "" || (sp.IsLast != nil && *sp.IsLast)
		page.Next = historyCursor{Token: sp.NextPageToken}.encode()
		if page.Done {
			page.Next = cursor
		}
	} else {
		next := sp.StartAt + len(sp.Issues)
		page.Done = len(sp.Issues) == 0 || next >= sp.Total
		page.Next = historyCursor{StartAt: next}.encode()
		if page.Done {
			page.Next = cursor
		}
	}
	if page.Through.IsZero() {
		page.Through = x.since
	}
	return page, nil
}

// get counts one request on the page.
func (x *Exporter) get(ctx context.Context, page *vendorapi.Page, path string, q url.Values, v any) error {
	if err := x.api.GetJSON(ctx, path, q, v); err != nil {
		return err
	}
	page.Requests++
	return nil
}

// complete reads the rest of an issue's changelog and comments when the
// search embedded only part of them.
func (x *Exporter) complete(ctx context.Context, page *vendorapi.Page, is *histIssue, at string) error {
	id := is.id
	if cl := is.Changelog; cl != nil && cl.Total > len(cl.Histories) {
		if x.cloud {
			seen := map[string]bool{}
			for _, h := range cl.Histories {
				seen[string(h.ID)] = true
			}
			for start := 0; len(seen) < cl.Total; {
				var raw json.RawMessage
				path := "/rest/api/3/issue/" + url.PathEscape(id) + "/changelog"
				if err := x.get(ctx, page, path, url.Values{"startAt": {strconv.Itoa(start)}, "maxResults": {strconv.Itoa(ChangelogPage)}}, &raw); err != nil {
					return err
				}
				cp, err := decodeChangelogPage(raw)
				if err != nil {
					return fmt.Errorf("jira history %s: %w", path, err)
				}
				for _, h := range cp.Values {
					if !seen[string(h.ID)] {
						seen[string(h.ID)] = true
						cl.Histories = append(cl.Histories, h)
					}
				}
				start += len(cp.Values)
				if len(cp.Values) == 0 || (cp.IsLast != nil && *cp.IsLast) || start >= cp.Total {
					break
				}
			}
		} else {
			var raw json.RawMessage
			path := "/rest/api/2/issue/" + url.PathEscape(id)
			if err := x.get(ctx, page, path, url.Values{"fields": {"status"}, "expand": {"changelog"}}, &raw); err != nil {
				return err
			}
			var one histIssue
			if err := json.Unmarshal(raw, &one); err != nil {
				return fmt.Errorf("jira history %s: %w", path, event.JSONProblem("", err))
			}
			if one.Changelog != nil && len(one.Changelog.Histories) > len(cl.Histories) {
				cl.Histories = one.Changelog.Histories
			}
		}
	}
	cm := is.Fields.Comment
	serviceDesk := is.Fields.Project != nil && strings.EqualFold(is.Fields.Project.ProjectTypeKey, "service_desk")
	if cm == nil || cm.Total == 0 && len(cm.Comments) == 0 {
		return nil
	}
	if cm.Total <= len(cm.Comments) && (x.cloud || !serviceDesk) {
		return nil
	}
	var all []histComment
	for start := 0; ; {
		q := url.Values{"startAt": {strconv.Itoa(start)}, "maxResults": {strconv.Itoa(CommentPage)}, "orderBy": {"created"}}
		if !x.cloud && serviceDesk {
			q.Set("expand", "properties")
		}
		var raw json.RawMessage
		path := "/rest/api/2/issue/" + url.PathEscape(id) + "/comment"
		if err := x.get(ctx, page, path, q, &raw); err != nil {
			return err
		}
		cp, err := decodeCommentPage(raw)
		if err != nil {
			return fmt.Errorf("jira history %s: %w", path, err)
		}
		all = append(all, cp.Comments...)
		start += len(cp.Comments)
		if len(cp.Comments) == 0 || start >= cp.Total {
			break
		}
	}
	cm.Comments, cm.Total = all, len(all)
	return nil
}

// The answers' shapes.

type searchPage struct {
	Issues        []histIssue `json:"issues"`
	NextPageToken string      `json:"nextPageToken"` // Cloud
	IsLast        *bool       `json:"isLast"`        // Cloud
	StartAt       int         `json:"startAt"`       // Data Center
	Total         int         `json:"total"`         // Data Center
}

type histIssue struct {
	ID        event.ID       `json:"id"`
	Key       string         `json:"key"`
	Fields    *histFields    `json:"fields"`
	Changelog *histChangelog `json:"changelog"`

	id      string
	through time.Time
}

type histFields struct {
	fields
	Created string `json:"created"`
	Updated string `json:"updated"`
	Comment *struct {
		Comments []histComment `json:"comments"`
		Total    int           `json:"total"`
	} `json:"comment"`
	Project *struct {
		ProjectTypeKey string `json:"projectTypeKey"`
	} `json:"project"`
}

type histChangelog struct {
	Total     int       `json:"total"`
	Histories []history `json:"histories"`
}

type history struct {
	ID      event.ID `json:"id"`
	Author  *user    `json:"author"`
	Created string   `json:"created"`
	Items   []item   `json:"items"`

	at time.Time
}

type histComment struct {
	comment
	Properties []struct {
		Key   string          `json:"key"`
		Value json.RawMessage `json:"value"`
	} `json:"properties"`
}

type changelogPage struct {
	Values []history `json:"values"`
	Total  int       `json:"total"`
	IsLast *bool     `json:"isLast"`
}

type commentPage struct {
	Comments []histComment `json:"comments"`
	Total    int           `json:"total"`
}

func decodeSearchPage(body []byte) (searchPage, error) {
	var sp searchPage
	if err := event.DecodeObject(body, &sp); err != nil {
		return sp, err
	}
	for i := range sp.Issues {
		is := &sp.Issues[i]
		at := fmt.Sprintf("issues[%d]", i)
		var err error
		if is.id, err = event.RequiredID(at+".id", string(is.ID)); err != nil {
			return sp, err
		}
		if is.Fields == nil {
			return sp, event.Invalid(at+".fields", "is required")
		}
	}
	return sp, nil
}

func decodeChangelogPage(body []byte) (changelogPage, error) {
	var cp changelogPage
	err := event.DecodeObject(body, &cp)
	return cp, err
}

func decodeCommentPage(body []byte) (commentPage, error) {
	var cp commentPage
	err := event.DecodeObject(body, &cp)
	return cp, err
}

// jiraTime reads a Jira REST time (2006-01-02T15:04:05.000-0700).
func jiraTime(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, event.Invalid(field, "is required")
	}
	t, err := time.Parse(commentTimeLayout, s)
	if err != nil {
		if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
			return time.Time{}, event.Invalid(field, "%q is not a Jira time", event.Clip(s))
		}
	}
	return event.CheckTime(field, t)
}

// HistoryEvents turns one search page's body (either edition) into the
// events of what it embeds, without reading follow-up pages.
func HistoryEvents(body []byte, set policy.Source) ([]event.Event, error) {
	sp, err := decodeSearchPage(body)
	if err != nil {
		return nil, err
	}
	r := &reader{p: parser{set: set}}
	var out []event.Event
	for i := range sp.Issues {
		evs, err := r.issueEvents(&sp.Issues[i], fmt.Sprintf("issues[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, evs...)
	}
	return out, nil
}

type reader struct{ p parser }

// issueEvents is one issue's events: created, its changelog items, its
// comments.
func (r *reader) issueEvents(is *histIssue, at string) ([]event.Event, error) {
	f := is.Fields
	created, err := jiraTime(at+".fields.created", f.Created)
	if err != nil {
		return nil, err
	}
	is.through = created
	if f.Updated != "" {
		if u, err := jiraTime(at+".fields.updated", f.Updated); err == nil {
			is.through = u
		} else {
			return nil, err
		}
	}
	customer, err := reporter(&f.fields)
	if err != nil {
		return nil, fmt.Errorf("%s.%w", at, err)
	}
	base := event.Event{Source: Source, TicketID: is.id, Customer: customer, Imported: true}

	var hs []history
	if is.Changelog != nil {
		hs = slices.Clone(is.Changelog.Histories)
	}
	for i := range hs {
		h := &hs[i]
		if h.at, err = jiraTime(fmt.Sprintf("%s.changelog.histories[%d].created", at, i), h.Created); err != nil {
			return nil, err
		}
		if _, err = event.RequiredID(fmt.Sprintf("%s.changelog.histories[%d].id", at, i), string(h.ID)); err != nil {
			return nil, err
		}
	}
	// Oldest first; Jira lists the embedded changelog newest first and the
	// changelog endpoint oldest first.
	slices.SortStableFunc(hs, func(a, b history) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(idNum(a.ID), idNum(b.ID))
	})
	users := knownUsers(is, hs)

	c, err := r.created(base, is, hs, users, created, at)
	if err != nil {
		return nil, err
	}
	evs := []event.Event{c}
	for _, h := range hs {
		for i, it := range h.Items {
			e := base
			e.ID = vendorapi.HistoryID("jira", is.id, "changelog", strings.TrimSpace(string(h.ID)), strconv.Itoa(i))
			e.OccurredAt = h.at
			if h.Author != nil {
				e.Actor = actorOf(h.Author)
			}
			if isField(it, "assignee") && strings.TrimSpace(string(it.TmpToAccountID)) == "" {
				it.To = event.ID(users.resolve(string(it.To)))
			}
			keep, err := r.p.applyItem(&e, it, fmt.Sprintf("%s.changelog.histories[id %s].items[%d]", at, h.ID, i), &f.fields)
			if err != nil {
				return nil, err
			}
			if keep {
				evs = append(evs, e)
			}
		}
	}
	if f.Comment != nil {
		pl := payload{Issue: &issue{ID: is.ID, Fields: &f.fields}}
		for i := range f.Comment.Comments {
			c := f.Comment.Comments[i]
			cat := fmt.Sprintf("%s.fields.comment.comments[%d]", at, i)
			t, err := jiraTime(cat+".created", c.Created)
			if err != nil {
				return nil, err
			}
			for _, p := range c.Properties {
				if p.Key != "sd.public.comment" {
					continue
				}
				var v struct {
					Internal any `json:"internal"`
				}
				if json.Unmarshal(p.Value, &v) == nil {
					internal := v.Internal == true || v.Internal == "true"
					public := !internal
					c.JsdPublic = &public
				}
			}
			e := base
			e.OccurredAt = t
			pl.Comment = &c.comment
			out, err := commented(e, pl)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", cat, err)
			}
			for _, o := range out {
				o.ID = vendorapi.HistoryID("jira", is.id, "comment", strings.TrimSpace(string(c.ID)))
				evs = append(evs, o)
			}
		}
	}
	return evs, nil
}

func idNum(id event.ID) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(string(id)), 10, 64)
	return n
}

func isField(it item, name string) bool {
	f := strings.TrimSpace(it.FieldID)
	if f == "" {
		f = strings.TrimSpace(it.Field)
	}
	return strings.EqualFold(f, name)
}

// users maps every id Jira gives a user (accountId, key, name) to the id
// the events use, so that a Data Center changelog's username names the
// user key as the webhooks' do.
type users map[string]string

func knownUsers(is *histIssue, hs []history) users {
	m := users{}
	add := func(u *user) {
		if u == nil {
			return
		}
		id := u.id()
		for _, k := range []string{u.AccountID, u.Key, u.Name} {
			if k = strings.TrimSpace(k); k != "" {
				m[k] = id
			}
		}
	}
	f := is.Fields
	add(f.Assignee)
	add(f.Reporter)
	for _, h := range hs {
		add(h.Author)
	}
	if f.Comment != nil {
		for i := range f.Comment.Comments {
			add(f.Comment.Comments[i].Author)
		}
	}
	return m
}

func (u users) resolve(s string) string {
	s = strings.TrimSpace(s)
	if id, ok := u[s]; ok {
		return id
	}
	return s
}

// created is the issue's created event with its initial values: the
// current ones, unwound through the changelog (newest first) to each
// field's first "from".
func (r *reader) created(e event.Event, is *histIssue, hs []history, users users, at time.Time, where string) (event.Event, error) {
	f := is.Fields
	e.Type = event.Created
	e.ID = vendorapi.HistoryID("jira", is.id, "created")
	e.OccurredAt = at
	if f.Reporter != nil {
		e.Actor = actorOf(f.Reporter)
	}
	var statusName, statusID, cat string
	if f.Status != nil {
		statusName, statusID, cat = f.Status.Name, string(f.Status.ID), category(f.Status)
	}
	var priority string
	if f.Priority != nil {
		priority = f.Priority.Name
	}
	var assignee string
	if f.Assignee != nil {
		assignee = f.Assignee.id()
	}
	var labels []string
	hasLabels := f.Labels != nil
	if hasLabels {
		labels = *f.Labels
	}
	var issueType string
	if f.IssueType != nil {
		issueType = f.IssueType.Name
	}
	for i := len(hs) - 1; i >= 0; i-- {
		items := hs[i].Items
		for j := len(items) - 1; j >= 0; j-- {
			it := items[j]
			switch {
			case isField(it, "status"):
				statusName, statusID = it.FromString, string(it.From)
			case isField(it, "priority"):
				priority = it.FromString
			case isField(it, "assignee"):
				assignee = users.resolve(string(it.From))
			case isField(it, "labels"):
				labels, hasLabels = strings.Fields(it.FromString), true
			case isField(it, "issuetype"):
				issueType = it.FromString
			}
		}
	}
	// The current status's category describes the initial status only when
	// it is the same status.
	if f.Status == nil || !(statusID != "" && statusID == string(f.Status.ID) || strings.EqualFold(strings.TrimSpace(statusName), strings.TrimSpace(f.Status.Name))) {
		cat = ""
	}
	var err error
	if strings.TrimSpace(statusName) != "" {
		if e.Status, err = r.p.mapStatus(where+".fields.status.name", statusName, cat); err != nil {
			return e, err
		}
	}
	if e.Priority, err = r.p.mapPriority(where+".fields.priority.name", priority); err != nil {
		return e, err
	}
	if hasLabels {
		e.HasTags, e.Tags = true, event.NormalizeTags(labels)
	}
	e.TicketType = strings.ToLower(strings.TrimSpace(issueType))
	if e.AssigneeID, err = event.OptionalID(where+".fields.assignee.accountId", assignee); err != nil {
		return e, err
	}
	return e, nil
}
