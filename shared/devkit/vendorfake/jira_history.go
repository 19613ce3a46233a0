package vendorfake

// JiraHistory is a stand-in for the parts of the Jira REST API a history
// import reads, for either edition:
//
//	Cloud        GET /rest/api/3/search/jql (nextPageToken, isLast), embedded
//	             changelog cut to the most recent EmbeddedChangelog histories
//	             (newest first), GET /rest/api/3/issue/{id}/changelog
//	             (PageBeanChangelog, oldest first, at most 100 a page)
//	Data Center  GET /rest/api/2/search (startAt, maxResults, total), the
//	             whole changelog embedded, GET /rest/api/2/issue/{id}?expand=changelog
//	both         GET /rest/api/2/issue/{id}/comment (startAt, maxResults,
//	             total, comments); Cloud comments of service desk issues
//	             carry jsdPublic, Data Center ones the sd.public.comment
//	             property when asked with expand=properties
//
// The search understands only the JQL the importer sends: `updated >=
// "yyyy/MM/dd HH:mm"`, optionally `project = KEY`, ordered by updated.

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// JiraUser is a Jira user as both editions name them.
type JiraUser struct {
	AccountID   string // Cloud
	AccountType string // Cloud: atlassian, customer, app
	Key, Name   string // Data Center
	DisplayName string
	Email       string
}

// JiraItem is one changelog item. FromUser/ToUser, when set, render as
// the edition's user reference (accountId on Cloud, username on Data
// Center) in from/to.
type JiraItem struct {
	Field, FieldID           string
	From, FromString         string
	To, ToString             string
	FromUser, ToUser         *JiraUser
	FromStatus, ToStatusName string // status items: names, ids from JiraStatuses
}

// JiraChange is one changelog history.
type JiraChange struct {
	ID     string
	At     time.Time
	Author JiraUser
	Items  []JiraItem
}

// JiraComment is one comment; Internal ones are JSM internal notes.
type JiraComment struct {
	ID       string
	At       time.Time
	Author   JiraUser
	Internal bool
}

// JiraIssue is an issue as created (Status … IssueType are its initial
// values) and everything that happened to it.
type JiraIssue struct {
	ID, Key, Project string
	ServiceDesk      bool // a JSM project (projectTypeKey service_desk)
	Created          time.Time
	Reporter         JiraUser
	Status           string // initial status name (JiraStatuses)
	Priority         string
	Assignee         *JiraUser
	Labels           []string
	IssueType        string
	History          []JiraChange
	Comments         []JiraComment
}

// JiraStatuses are the statuses the fake knows: id and category.
var JiraStatuses = map[string]struct{ ID, Category string }{
	"Open":                 {"1", "new"},
	"To Do":                {"10000", "new"},
	"In Progress":          {"3", "indeterminate"},
	"Reopened":             {"4", "new"},
	"Resolved":             {"5", "done"},
	"Closed":               {"6", "done"},
	"Waiting for support":  {"10001", "new"},
	"Waiting for customer": {"10002", "indeterminate"},
	"Done":                 {"10003", "done"},
}

// current replays the history onto the initial values.
func (is *JiraIssue) current() (status, priority string, assignee *JiraUser, labels []string, issueType string, updated time.Time) {
	status, priority, assignee, labels, issueType, updated = is.Status, is.Priority, is.Assignee, is.Labels, is.IssueType, is.Created
	for _, h := range is.History {
		updated = jiraLater(updated, h.At)
		for _, it := range h.Items {
			switch strings.ToLower(jiraOr(it.FieldID, it.Field)) {
			case "status":
				status = jiraOr(it.ToStatusName, it.ToString)
			case "priority":
				priority = it.ToString
			case "assignee":
				assignee = it.ToUser
			case "labels":
				labels = strings.Fields(it.ToString)
			case "issuetype":
				issueType = it.ToString
			}
		}
	}
	for _, c := range is.Comments {
		updated = jiraLater(updated, c.At)
	}
	return
}

func jiraLater(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func jiraOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// JiraHistory serves issues; set its fields before serving.
type JiraHistory struct {
	Issues []JiraIssue
	// Cloud serves Jira Cloud's shapes, else Data Center's.
	Cloud bool
	// User and Token every request must carry (HTTP Basic); empty User:
	// Bearer Token.
	User, Token string
	// EmbeddedChangelog is how many histories Cloud's search embeds (40 if
	// 0, the limit reported for /search/jql).
	EmbeddedChangelog int
	// EmbeddedComments is how many comments a search embeds (20 if 0).
	EmbeddedComments int
	// Limit requests per Window, then 429 with Retry-After until the
	// window ends; 0: no limit. Now is the clock (time.Now if nil).
	Limit  int
	Window time.Duration
	Now    func() time.Time
	// FailOn answers these requests (1-based, counted over all requests)
	// with 503.
	FailOn []int

	mu    sync.Mutex
	n     int
	win   window
	byKey map[string]*JiraIssue
}

// Requests is how many requests the fake received.
func (s *JiraHistory) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

var (
	jqlUpdated = regexp.MustCompile(`updated\s*>=\s*"(\d{4}/\d{2}/\d{2} \d{2}:\d{2})"`)
	jqlProject = regexp.MustCompile(`project\s*=\s*"?([A-Za-z0-9_]+)"?`)
)

func (s *JiraHistory) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	n := s.n
	if s.byKey == nil {
		s.byKey = map[string]*JiraIssue{}
		for i := range s.Issues {
			s.byKey[s.Issues[i].ID] = &s.Issues[i]
			s.byKey[s.Issues[i].Key] = &s.Issues[i]
		}
	}
	authorized := s.authorized(r)
	fail := slices.Contains(s.FailOn, n)
	var wait time.Duration
	var limited bool
	if authorized && !fail {
		wait, limited = s.limited()
	}
	s.mu.Unlock()
	switch {
	case r.Method != http.MethodGet:
		reply(w, http.StatusMethodNotAllowed, errorBody("jira", "Method not allowed"))
		return
	case !authorized:
		reply(w, http.StatusUnauthorized, errorBody("jira", "Client must be authenticated to access this resource."))
		return
	case fail:
		reply(w, http.StatusServiceUnavailable, errorBody("jira", "Service unavailable"))
		return
	case limited:
		w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, "Rate limit exceeded.")
		return
	}
	p, q := r.URL.Path, r.URL.Query()
	api := "/rest/api/2/"
	if s.Cloud {
		api = "/rest/api/3/"
	}
	switch {
	case s.Cloud && p == "/rest/api/3/search/jql", !s.Cloud && p == "/rest/api/2/search":
		s.search(w, q)
	case strings.HasPrefix(p, "/rest/api/2/issue/") && strings.HasSuffix(p, "/comment"),
		strings.HasPrefix(p, "/rest/api/3/issue/") && strings.HasSuffix(p, "/comment"):
		is := s.byKey[strings.TrimSuffix(strings.TrimPrefix(p[len("/rest/api/2"):], "/issue/"), "/comment")]
		if is == nil {
			reply(w, http.StatusNotFound, errorBody("jira", "Issue does not exist or you do not have permission to see it."))
			return
		}
		start, _ := strconv.Atoi(q.Get("startAt"))
		reply(w, http.StatusOK, s.comments(is, start, jiraPageSize(q.Get("maxResults"), 5000, 5000), q.Get("expand") == "properties"))
	case s.Cloud && strings.HasPrefix(p, api+"issue/") && strings.HasSuffix(p, "/changelog"):
		is := s.byKey[strings.TrimSuffix(strings.TrimPrefix(p, api+"issue/"), "/changelog")]
		if is == nil {
			reply(w, http.StatusNotFound, errorBody("jira", "Issue does not exist or you do not have permission to see it."))
			return
		}
		start, _ := strconv.Atoi(q.Get("startAt"))
		reply(w, http.StatusOK, s.changelogPage(is, start, jiraPageSize(q.Get("maxResults"), 100, 100)))
	case !s.Cloud && strings.HasPrefix(p, "/rest/api/2/issue/"):
		is := s.byKey[strings.TrimPrefix(p, "/rest/api/2/issue/")]
		if is == nil {
			reply(w, http.StatusNotFound, errorBody("jira", "Issue does not exist or you do not have permission to see it."))
			return
		}
		reply(w, http.StatusOK, s.issue(is, q.Get("expand") == "changelog"))
	default:
		reply(w, http.StatusNotFound, errorBody("jira", "null for uri: "+p))
	}
}

func jiraPageSize(s string, def, max int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return def
	}
	return min(n, max)
}

func (s *JiraHistory) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	if s.User == "" {
		return h == "Bearer "+s.Token
	}
	return h == "Basic "+base64.StdEncoding.EncodeToString([]byte(s.User+":"+s.Token))
}

// limited counts a request against the window. Called with mu held.
func (s *JiraHistory) limited() (time.Duration, bool) {
	if s.Limit <= 0 {
		return 0, false
	}
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	if now.Sub(s.win.start) >= s.Window {
		s.win = window{start: now}
	}
	s.win.n++
	if s.win.n > s.Limit {
		return s.win.start.Add(s.Window).Sub(now), true
	}
	return 0, false
}

func (s *JiraHistory) search(w http.ResponseWriter, q map[string][]string) {
	jql := jiraFirst(q["jql"])
	var since time.Time
	if m := jqlUpdated.FindStringSubmatch(jql); m != nil {
		since, _ = time.Parse("2006/01/02 15:04", m[1])
	}
	project := ""
	if m := jqlProject.FindStringSubmatch(jql); m != nil {
		project = m[1]
	}
	type hit struct {
		is      *JiraIssue
		updated time.Time
	}
	var hits []hit
	for i := range s.Issues {
		is := &s.Issues[i]
		_, _, _, _, _, updated := is.current()
		if updated.Before(since) || project != "" && !strings.EqualFold(project, is.Project) {
			continue
		}
		hits = append(hits, hit{is, updated})
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := a.updated.Compare(b.updated); c != 0 {
			return c
		}
		x, _ := strconv.Atoi(a.is.ID)
		y, _ := strconv.Atoi(b.is.ID)
		return x - y
	})
	limit := jiraPageSize(jiraFirst(q["maxResults"]), 50, 100)
	start := 0
	if s.Cloud {
		if tok := jiraFirst(q["nextPageToken"]); tok != "" {
			b, derr := base64.RawURLEncoding.DecodeString(tok)
			var err error
			if start, err = strconv.Atoi(strings.TrimPrefix(string(b), "page:")); derr != nil || err != nil || start < 0 {
				reply(w, http.StatusBadRequest, errorBody("jira", "Invalid nextPageToken."))
				return
			}
		}
	} else {
		start, _ = strconv.Atoi(jiraFirst(q["startAt"]))
	}
	start = min(max(start, 0), len(hits))
	end := min(start+limit, len(hits))
	issues := []any{}
	for _, h := range hits[start:end] {
		issues = append(issues, s.issue(h.is, jiraFirst(q["expand"]) == "changelog"))
	}
	if s.Cloud {
		body := map[string]any{"issues": issues, "isLast": end >= len(hits)}
		if end < len(hits) {
			body["nextPageToken"] = base64.RawURLEncoding.EncodeToString([]byte("page:" + strconv.Itoa(end)))
		}
		reply(w, http.StatusOK, body)
		return
	}
	reply(w, http.StatusOK, map[string]any{"expand": "schema,names", "startAt": start, "maxResults": limit, "total": len(hits), "issues": issues})
}

func jiraFirst(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

const jiraTimeLayout = "2006-01-02T15:04:05.000-0700"

func (s *JiraHistory) base() string {
	if s.Cloud {
		return "https://example.atlassian.net/rest/api/3/"
	}
	return "https://jira.example.com/rest/api/2/"
}

func (s *JiraHistory) user(u *JiraUser) any {
	if u == nil {
		return nil
	}
	if s.Cloud {
		m := map[string]any{"self": s.base() + "user?accountId=" + u.AccountID, "accountId": u.AccountID, "accountType": jiraOr(u.AccountType, "atlassian"),
			"displayName": u.DisplayName, "active": true, "timeZone": "Asia/Shanghai", "avatarUrls": map[string]string{}}
		if u.Email != "" && u.AccountType == "customer" {
			m["emailAddress"] = u.Email
		}
		return m
	}
	return map[string]any{"self": s.base() + "user?username=" + u.Name, "name": u.Name, "key": u.Key, "emailAddress": u.Email,
		"displayName": u.DisplayName, "active": true, "timeZone": "Asia/Shanghai", "avatarUrls": map[string]string{}}
}

func (s *JiraHistory) userRef(u *JiraUser) (any, any) {
	if u == nil {
		return nil, nil
	}
	if s.Cloud {
		return u.AccountID, u.DisplayName
	}
	return u.Name, u.DisplayName
}

func jiraStatus(name string) map[string]any {
	st := JiraStatuses[name]
	return map[string]any{"name": name, "id": st.ID, "statusCategory": map[string]any{"key": jiraOr(st.Category, "indeterminate")}}
}

func (s *JiraHistory) history(h JiraChange) map[string]any {
	items := []any{}
	for _, it := range h.Items {
		m := map[string]any{"field": it.Field, "fieldtype": "jira", "from": nullable(it.From), "fromString": nullable(it.FromString),
			"to": nullable(it.To), "toString": nullable(it.ToString)}
		if s.Cloud && it.FieldID != "" {
			m["fieldId"] = it.FieldID
		}
		if it.FromUser != nil {
			m["from"], m["fromString"] = s.userRef(it.FromUser)
		}
		if it.ToUser != nil {
			m["to"], m["toString"] = s.userRef(it.ToUser)
		}
		if it.FromStatus != "" {
			m["from"], m["fromString"] = JiraStatuses[it.FromStatus].ID, it.FromStatus
		}
		if it.ToStatusName != "" {
			m["to"], m["toString"] = JiraStatuses[it.ToStatusName].ID, it.ToStatusName
		}
		items = append(items, m)
	}
	return map[string]any{"id": h.ID, "author": s.user(&h.Author), "created": h.At.Format(jiraTimeLayout), "items": items}
}

func (s *JiraHistory) comment(is *JiraIssue, c JiraComment, properties bool) map[string]any {
	m := map[string]any{"self": s.base() + "issue/" + is.ID + "/comment/" + c.ID, "id": c.ID, "author": s.user(&c.Author),
		"body": "…", "updateAuthor": s.user(&c.Author), "created": c.At.Format(jiraTimeLayout), "updated": c.At.Format(jiraTimeLayout)}
	if s.Cloud && is.ServiceDesk {
		m["jsdPublic"] = !c.Internal
	}
	if !s.Cloud && properties && is.ServiceDesk {
		m["properties"] = []any{map[string]any{"key": "sd.public.comment", "value": map[string]any{"internal": c.Internal}}}
	}
	return m
}

func (s *JiraHistory) comments(is *JiraIssue, start, limit int, properties bool) map[string]any {
	start = min(jiraMax0(start), len(is.Comments))
	end := min(start+limit, len(is.Comments))
	cs := []any{}
	for _, c := range is.Comments[start:end] {
		cs = append(cs, s.comment(is, c, properties))
	}
	return map[string]any{"startAt": start, "maxResults": limit, "total": len(is.Comments), "comments": cs}
}

func jiraMax0(n int) int { return max(n, 0) }

func (s *JiraHistory) changelogPage(is *JiraIssue, start, limit int) map[string]any {
	start = min(jiraMax0(start), len(is.History))
	end := min(start+limit, len(is.History))
	vs := []any{}
	for _, h := range is.History[start:end] {
		vs = append(vs, s.history(h))
	}
	self := fmt.Sprintf("%sissue/%s/changelog?startAt=%d&maxResults=%d", s.base(), is.Key, start, limit)
	m := map[string]any{"self": self, "maxResults": limit, "startAt": start, "total": len(is.History), "isLast": end >= len(is.History), "values": vs}
	if end < len(is.History) {
		m["nextPage"] = fmt.Sprintf("%sissue/%s/changelog?&startAt=%d&maxResults=%d", s.base(), is.Key, end, limit)
	}
	return m
}

func (s *JiraHistory) issue(is *JiraIssue, changelog bool) map[string]any {
	st, prio, assignee, labels, issueType, updated := is.current()
	ptype := "software"
	if is.ServiceDesk {
		ptype = "service_desk"
	}
	embedded := jiraOrInt(s.EmbeddedComments, 20)
	cs := []any{}
	for _, c := range is.Comments[:min(embedded, len(is.Comments))] {
		cs = append(cs, s.comment(is, c, false))
	}
	fields := map[string]any{
		"created": is.Created.Format(jiraTimeLayout), "updated": updated.Format(jiraTimeLayout),
		"status": jiraStatus(st), "assignee": s.user(assignee), "reporter": s.user(&is.Reporter),
		"labels": append([]string{}, labels...), "issuetype": map[string]any{"name": issueType, "subtask": false},
		"project":  map[string]any{"key": is.Project, "projectTypeKey": ptype},
		"comment":  map[string]any{"comments": cs, "maxResults": len(cs), "total": len(is.Comments), "startAt": 0},
		"priority": nil,
	}
	if prio != "" {
		fields["priority"] = map[string]any{"name": prio}
	}
	m := map[string]any{"expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields", "id": is.ID,
		"self": s.base() + "issue/" + is.ID, "key": is.Key, "fields": fields}
	if changelog {
		hs := is.History
		if s.Cloud {
			// The most recent ones, newest first.
			keep := jiraOrInt(s.EmbeddedChangelog, 40)
			hs = slices.Clone(hs[max(0, len(hs)-keep):])
			slices.Reverse(hs)
		}
		list := []any{}
		for _, h := range hs {
			list = append(list, s.history(h))
		}
		m["changelog"] = map[string]any{"startAt": 0, "maxResults": len(list), "total": len(is.History), "histories": list}
	}
	return m
}

func jiraOrInt(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// JiraIssues generates n plausible service desk issues from start, the
// same for the same seed: each created by a customer, assigned, answered
// publicly by the agent, answered by the customer, noted internally,
// resolved; some reopened and resolved again, and every 50th with over a
// hundred changelog histories (label edits).
func JiraIssues(n int, start time.Time, seed int64) []JiraIssue {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15))
	agents := []JiraUser{
		{AccountID: "5b10ac8d82e05b22cc7d4ef5", AccountType: "atlassian", Key: "JIRAUSER10100", Name: "mia", DisplayName: "Mia Krystof"},
		{AccountID: "6012f9a3c7d1e2006b4f5a11", AccountType: "atlassian", Key: "JIRAUSER10101", Name: "lee", DisplayName: "Lee Chen"},
		{AccountID: "5d53f3cbc6b9320d9ea5bdc2", AccountType: "atlassian", Key: "JIRAUSER10102", Name: "ana", DisplayName: "Ana Ruiz"},
	}
	prios := []string{"Highest", "High", "Medium", "Medium", "Low"}
	out := make([]JiraIssue, 0, n)
	hid, cid := 20000, 30000
	t := start
	for i := 0; i < n; i++ {
		t = t.Add(time.Duration(20+rng.IntN(40)) * time.Minute)
		id := strconv.Itoa(10000 + i)
		cust := JiraUser{AccountID: fmt.Sprintf("qm:%08x-%04x-4a7b-8c9d-%012x", rng.Uint32(), i, rng.Uint64()&0xffffffffffff), AccountType: "customer",
			Key: fmt.Sprintf("JIRAUSER%d", 20000+i), Name: fmt.Sprintf("customer%d", i), DisplayName: fmt.Sprintf("Customer %d", i),
			Email: fmt.Sprintf("customer%d@example.com", i)}
		agent := agents[rng.IntN(len(agents))]
		is := JiraIssue{ID: id, Key: "SUP-" + strconv.Itoa(i+1), Project: "SUP", ServiceDesk: true, Created: t, Reporter: cust,
			Status: "Waiting for support", Priority: prios[rng.IntN(len(prios))], Labels: []string{"imported"}, IssueType: "Service Request"}
		at := t
		step := func(min int) time.Time {
			at = at.Add(time.Duration(min+rng.IntN(min+1)) * time.Minute)
			return at
		}
		change := func(author JiraUser, items ...JiraItem) {
			hid++
			is.History = append(is.History, JiraChange{ID: strconv.Itoa(hid), At: step(5), Author: author, Items: items})
		}
		comment := func(author JiraUser, internal bool) {
			cid++
			is.Comments = append(is.Comments, JiraComment{ID: strconv.Itoa(cid), At: step(10), Author: author, Internal: internal})
		}
		st := "Waiting for support"
		move := func(author JiraUser, to string) {
			change(author, JiraItem{Field: "status", FieldID: "status", FromStatus: st, ToStatusName: to})
			st = to
		}
		change(agent, JiraItem{Field: "assignee", FieldID: "assignee", ToUser: &agent})
		move(agent, "In Progress")
		comment(agent, false)
		move(agent, "Waiting for customer")
		comment(cust, false)
		move(cust, "In Progress")
		comment(agent, true)
		if rng.IntN(4) == 0 {
			change(agent, JiraItem{Field: "priority", FieldID: "priority", FromString: is.Priority, ToString: "High"})
		}
		move(agent, "Resolved")
		if rng.IntN(8) == 0 {
			move(cust, "Reopened")
			comment(cust, false)
			move(agent, "Resolved")
		}
		if i%50 == 49 {
			labels := "imported"
			for k := 0; k < 110; k++ {
				next := fmt.Sprintf("imported round%d", k)
				change(agent, JiraItem{Field: "labels", FieldID: "labels", FromString: labels, ToString: next})
				labels = next
			}
		}
		out = append(out, is)
	}
	return out
}
