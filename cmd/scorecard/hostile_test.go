package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/google/go-cmp/cmp"

	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/token"
	"scorecard/shared/app/webhook"
	"scorecard/shared/aws/dynamo"
	"scorecard/shared/aws/secrets"
	"scorecard/shared/core/assessment"
	"scorecard/shared/core/event"
	"scorecard/shared/core/month"
	"scorecard/shared/core/records"
	"scorecard/shared/core/survey"
	"scorecard/shared/devkit/dynamotest"
	"scorecard/shared/source/freshdesk"
	"scorecard/shared/source/generic"
	"scorecard/shared/source/jira"
	"scorecard/shared/source/zendesk"
)

// notOurs is a key the product does not hold: whatever is signed with it is
// a forgery.
var notOurs = []byte("not-our-secret")

// Injection strings that the ids of every source refuse (DESIGN §3, README
// "Security": ids are at most 256 bytes of valid UTF-8 without control
// characters). "\xff" is spliced into the raw body, where JSON encoding
// cannot repair it.
var refusedIDs = []struct{ name, id string }{
	{"invalid UTF-8", "T-\xff"},
	{"a NUL byte", "T-1\x00"},
	{"a line break", "T-1\r\nX-Injected: 1"},
	{"10 000 characters", strings.Repeat("T", 10000)},
}

// hostileRoute is one webhook route: a body it would store, and how its
// sender signs one.
type hostileRoute struct {
	source string
	// body is a well-formed body of one event of ticket with event id
	// (for records, one record with id of engineer ticket).
	body func(ticket, id string) []byte
	// eventID says whether id reaches an id field of the route (Freshdesk
	// derives its event ids).
	eventID bool
	// sign returns the headers of a delivery of body signed with secret.
	sign func(secret, body []byte) map[string]string
}

func hostileRoutes() []hostileRoute {
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return b
	}
	hexSigned := func(header string, sign func(secret, body []byte) string) func(secret, body []byte) map[string]string {
		return func(secret, body []byte) map[string]string {
			return jsonType(map[string]string{header: sign(secret, body)})
		}
	}
	return []hostileRoute{
		{source: zendesk.Source, eventID: true,
			body: func(t, id string) []byte {
				return js(map[string]any{"id": id, "type": "zen:event-type:ticket.created", "time": "2026-10-05T01:00:00Z",
					"subject": "zen:ticket:" + t, "detail": map[string]any{"id": t, "status": "NEW"}})
			},
			sign: func(secret, body []byte) map[string]string {
				ts := time.Now().UTC().Format(time.RFC3339)
				return jsonType(map[string]string{zendesk.TimestampHeader: ts, zendesk.SignatureHeader: zendesk.Sign(secret, ts, body)})
			}},
		// A Jira ticket is its issue id (a creation's event id derives from
		// it); the key, which changes when an issue moves, is not read.
		{source: jira.Source,
			body: func(t, _ string) []byte {
				return js(map[string]any{"timestamp": 1791162123456, "webhookEvent": "jira:issue_created",
					"issue": map[string]any{"id": t, "key": "SUP-1", "fields": map[string]any{"status": map[string]any{"name": "Open", "statusCategory": map[string]any{"key": "new"}}}}})
			},
			sign: hexSigned(jira.SignatureHeader, jira.Sign)},
		{source: freshdesk.Source,
			body: func(t, _ string) []byte {
				return js(map[string]any{"freshdesk_webhook": map[string]any{"event": "created", "ticket_id": t,
					"triggered_at": "2026-10-05 09:02:03 +0800", "status": "Open", "priority": "High"}})
			},
			sign: func(secret, _ []byte) map[string]string {
				return jsonType(map[string]string{freshdesk.AuthorizationHeader: "Bearer " + string(secret)})
			}},
		{source: generic.Source, eventID: true,
			body: func(t, id string) []byte {
				return js(map[string]any{"event_id": id, "ticket_id": t, "type": "created", "occurred_at": "2026-10-05T01:00:00Z"})
			},
			sign: hexSigned(generic.SignatureHeader, generic.Sign)},
		{source: records.Source, eventID: true,
			body: func(t, id string) []byte {
				return js(map[string]any{"records": []any{map[string]any{"kind": "training", "id": id, "engineer_id": t, "date": "2026-10-05", "hours": 2}}})
			},
			sign: hexSigned(generic.SignatureHeader, generic.Sign)},
	}
}

// jsonType adds the JSON Content-Type every source sends.
func jsonType(h map[string]string) map[string]string {
	h["Content-Type"] = "application/json"
	return h
}

// parseOffline reads a body as the route would after verification, without
// storing anything.
func parseOffline(source string, h map[string]string, body []byte) error {
	if source == records.Source {
		_, err := records.ParseWebhook(body)
		return err
	}
	hdr := http.Header{}
	for k, v := range h {
		hdr.Set(k, v)
	}
	_, err := webhook.Sources(nil)[source].Parse(event.Delivery{Header: hdr, Body: body, Received: time.Now()})
	return err
}

// hostileCase is one request and the answer it must get.
type hostileCase struct {
	name    string
	method  string
	path    string
	body    []byte
	headers map[string]string
	status  int
}

// webhookCases is the corpus for every webhook route: forged, replayed,
// malformed, oversized, mistyped and injected requests.
func webhookCases(t *testing.T) []hostileCase {
	dev := secrets.Dev().Webhook
	nested := []byte(strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000))
	var cases []hostileCase
	for _, r := range hostileRoutes() {
		path := "/webhooks/" + r.source
		good := r.body("T-1", "e-1")
		secret := dev[r.source]
		if err := parseOffline(r.source, r.sign(secret, good), good); err != nil {
			t.Fatalf("%s: the well-formed body the corpus alters does not parse: %v\n%s", r.source, err, good)
		}
		signed := func(b []byte) map[string]string { return r.sign(secret, b) }
		with := func(h map[string]string, k, v string) map[string]string {
			h[k] = v
			return h
		}
		add := func(name string, body []byte, h map[string]string, status int) {
			cases = append(cases, hostileCase{r.source + ": " + name, http.MethodPost, path, body, h, status})
		}

		// Signatures.
		add("no signature", good, map[string]string{"Content-Type": "application/json"}, 401)
		add("signed with a secret that is not ours", good, r.sign(notOurs, good), 401)
		other := generic.Source
		if r.source == generic.Source {
			other = jira.Source
		}
		add("signed with another source's secret", good, r.sign(dev[other], good), 401)
		switch r.source {
		case freshdesk.Source:
			add("the secret as Basic, not Bearer", good, with(signed(good), freshdesk.AuthorizationHeader, "Basic "+string(secret)), 401)
			add("a bearer one letter off", good, with(signed(good), freshdesk.AuthorizationHeader, "Bearer "+strings.ToUpper(string(secret))), 401)
		case zendesk.Source:
			add("the signature of another body", good, signed([]byte("{}")), 401)
			add("a signature that is not base64", good, with(signed(good), zendesk.SignatureHeader, "not base64!"), 401)
			at := func(d time.Duration) map[string]string {
				ts := time.Now().Add(d).UTC().Format(time.RFC3339)
				return jsonType(map[string]string{zendesk.TimestampHeader: ts, zendesk.SignatureHeader: zendesk.Sign(secret, ts, good)})
			}
			add("replayed with a stale timestamp", good, at(-10*time.Minute), 401)
			add("a timestamp from the future", good, at(10*time.Minute), 401)
			add("a timestamp a day old", good, at(-24*time.Hour), 401)
			stale := at(-10 * time.Minute)
			add("a stale signature under a fresh timestamp", good, with(stale, zendesk.TimestampHeader, time.Now().UTC().Format(time.RFC3339)), 401)
			add("no timestamp", good, map[string]string{"Content-Type": "application/json", zendesk.SignatureHeader: zendesk.Sign(secret, "", good)}, 401)
			add("a timestamp that is not a time", good, jsonType(map[string]string{zendesk.TimestampHeader: "yesterday", zendesk.SignatureHeader: zendesk.Sign(secret, "yesterday", good)}), 401)
		default:
			h := r.sign(secret, []byte("{}"))
			add("the signature of another body", good, h, 401)
			for k, v := range h {
				if strings.HasPrefix(v, "sha256=") {
					add("a sha1 signature", good, with(r.sign(secret, good), k, "sha1="+strings.Repeat("0", 40)), 401)
					add("a signature that is not hex", good, with(r.sign(secret, good), k, "sha256=zz"), 401)
				}
			}
		}

		// Malformed and oversized bodies, signed so that they reach the parser.
		trunc := good[:len(good)/2]
		add("truncated JSON", trunc, signed(trunc), 400)
		add("deeply nested JSON", nested, signed(nested), 400)
		add("an empty body", nil, signed(nil), 400)
		add("a JSON array", []byte(`[]`), signed([]byte(`[]`)), 400)
		huge := append(append([]byte(`{"padding":"`), bytes.Repeat([]byte("x"), 300<<10)...), `"}`...)
		add("a body over 256 KB", huge, signed(huge), 413)

		// Content types other than JSON, signed.
		for _, ct := range []string{"application/xml", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "not a type"} {
			add("Content-Type "+ct, good, with(signed(good), "Content-Type", ct), 415)
		}

		// Ids the product refuses, signed.
		for _, bad := range refusedIDs {
			b := bytes.ReplaceAll(r.body("T-PLACEHOLDER", "e-1"), []byte("T-PLACEHOLDER"), jsonEscapedExceptInvalid(bad.id))
			add(bad.name+" in the ticket id", b, signed(b), 400)
			if r.eventID {
				b := bytes.ReplaceAll(r.body("T-1", "e-PLACEHOLDER"), []byte("e-PLACEHOLDER"), jsonEscapedExceptInvalid(bad.id))
				add(bad.name+" in the event id", b, signed(b), 400)
			}
		}
	}

	g := secrets.Dev().Webhook[generic.Source]
	gsig := func(b []byte) map[string]string {
		return map[string]string{generic.SignatureHeader: generic.Sign(g, b), "Content-Type": "application/json"}
	}
	good := []byte(`{"event_id":"e1","ticket_id":"T-1","type":"created","occurred_at":"2026-10-05T01:00:00Z"}`)
	markup := []byte(`{"event_id":"e1","ticket_id":"T-1","type":"<script>alert(1)</script>","occurred_at":"2026-10-05T01:00:00Z"}`)
	sql := []byte(`{"event_id":"e1","ticket_id":"T-1","type":"created","occurred_at":"2026-10-05T01:00:00Z' OR 1=1 --"}`)
	var batch bytes.Buffer
	batch.WriteString(`{"events":[`)
	for i := range 501 {
		if i > 0 {
			batch.WriteByte(',')
		}
		fmt.Fprintf(&batch, `{"event_id":"e%d","ticket_id":"T-1","type":"note","occurred_at":"2026-10-05T01:00:00Z","actor":{"id":"a","kind":"agent"}}`, i)
	}
	batch.WriteString(`]}`)
	half := []byte(`{"events":[` + string(good) + `,{"event_id":"e2","ticket_id":"T-1\u0000","type":"created","occurred_at":"2026-10-05T01:00:00Z"}]}`)
	return append(cases,
		hostileCase{"generic: markup as the event type", "POST", "/webhooks/generic", markup, gsig(markup), 400},
		hostileCase{"generic: SQL in the time", "POST", "/webhooks/generic", sql, gsig(sql), 400},
		hostileCase{"generic: a batch of 501 events", "POST", "/webhooks/generic", batch.Bytes(), gsig(batch.Bytes()), 413},
		hostileCase{"generic: a batch with one bad event stores none", "POST", "/webhooks/generic", half, gsig(half), 400},
		hostileCase{"an unknown source", "POST", "/webhooks/hubspot", good, gsig(good), 400},
		hostileCase{"markup as the source", "POST", "/webhooks/%3Cscript%3Ealert(1)%3C%2Fscript%3E", good, gsig(good), 400},
		hostileCase{"a path traversal as source", "POST", "/webhooks/..%2f..%2fetc", good, gsig(good), 400},
		hostileCase{"a NUL as source", "POST", "/webhooks/generic%00", good, gsig(good), 400},
	)
}

// jsonEscapedExceptInvalid is s as the inside of a JSON string, with
// invalid UTF-8 kept raw (json.Marshal would repair it).
func jsonEscapedExceptInvalid(s string) []byte {
	if !strings.Contains(s, "\xff") {
		b, _ := json.Marshal(s)
		return b[1 : len(b)-1]
	}
	return []byte(s)
}

// A corpus of hostile requests for every webhook route, each answered with
// its documented 4xx and a JSON error, and nothing stored.
func TestHostileRequestsAreRefusedAndStoreNothing(t *testing.T) {
	srv, _, table := gateway(t)
	for _, tc := range webhookCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			status, header, b := hostileDo(t, srv.URL, tc)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %.200q", status, tc.status, b)
			}
			var e struct {
				Error string `json:"error"`
			}
			if ct := header.Get("Content-Type"); ct != "application/json" || json.Unmarshal(b, &e) != nil || e.Error == "" || !bytes.HasPrefix(b, []byte(`{"error":"`)) {
				t.Errorf("not a JSON error (%s): %.200q", ct, b)
			}
			noMarkup(t, b)
		})
	}
	for _, it := range scanTable(t, table) {
		t.Errorf("stored from a refused request: %v %v", it["pk"], it["sk"])
	}
}

// The survey and assessment pages refuse forged, tampered, expired and
// foreign links, POSTs without their CSRF field or from another origin,
// and malformed forms, each with its documented 4xx page — and the table
// holds exactly what it held before.
func TestHostileFormRequestsAreRefusedAndStoreNothing(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	key := secrets.Dev().SigningKey
	now := time.Now().UTC().Truncate(time.Second)

	sv := survey.Survey{ID: "sv-hostile", Source: generic.Source, TicketID: "T-hostile", Resolution: 1, ResolvedAt: now.Add(-2 * time.Hour),
		EngineerAgentID: "ag-1", CustomerKey: "generic:c-1", CustomerEmail: "ann@example.com", CustomerName: "Ann", Locale: "en",
		DueAt: now.Add(-time.Hour), SentAt: now.Add(-time.Hour), ExpiresAt: now.Add(28 * 24 * time.Hour)}
	if _, err := store.RecordSurvey(ctx, sv, survey.Recording{}); err != nil {
		t.Fatal(err)
	}
	m := month.Month{Year: now.Year(), Month: now.Month()}
	as := assessment.Assessment{ID: assessment.ID(m, assessment.Self, "E1"), Month: m, Kind: assessment.Self, AssessorKey: "E1",
		AssessorEmail: "e1@example.com", AssessorName: "Ann", Locale: "en", Engineers: []assessment.Engineer{{ID: "E1", Name: "Ann"}},
		Deadline: now.Add(7 * 24 * time.Hour), InvitedAt: now}
	if ok, err := store.PutAssessment(ctx, as); err != nil || !ok {
		t.Fatalf("seed assessment: %v %v", ok, err)
	}
	before := scanTable(t, table)

	sign := func(k []byte, c token.Claims) string {
		tok, err := token.Sign(k, c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	type form struct {
		prefix  string
		valid   string     // a genuine link to the seeded survey or assessment
		foreign string     // a genuine link of the other page
		forged  string     // the same claims signed with a key that is not ours
		expired string     // a genuine link whose expiry has passed
		fields  url.Values // a complete, valid form but for its CSRF field
	}
	surveyClaims := token.Claims{Kind: token.KindSurvey, Subject: sv.ID, Rating: 4, Expires: now.Add(24 * time.Hour)}
	asmClaims := token.Claims{Kind: token.KindAssessment, Subject: as.ID, Expires: as.Deadline}
	expiredSurvey, expiredAsm := surveyClaims, asmClaims
	expiredSurvey.Expires, expiredAsm.Expires = now.Add(-time.Minute), now.Add(-time.Minute)
	forms := []form{
		{"/s/", sign(key, surveyClaims), sign(key, asmClaims), sign(notOurs, surveyClaims), sign(key, expiredSurvey),
			url.Values{"rating": {"5"}, "solved": {"yes"}, "comment": {"fine"}}},
		{"/a/", sign(key, asmClaims), sign(key, surveyClaims), sign(notOurs, asmClaims), sign(key, expiredAsm),
			url.Values{"attitude:E1": {"90"}, "problem_solving:E1": {"85"}, "collaboration:E1": {"88"}, "comment:E1": {"fine"}}},
	}
	formType := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	var cases []hostileCase
	for _, f := range forms {
		page := map[string]string{"/s/": "survey", "/a/": "assessment"}[f.prefix]
		// The form as the page would post it: CSRF field of the link, no Origin.
		post := func(tok string, change func(url.Values)) []byte {
			v := url.Values{}
			for k, vs := range f.fields {
				v[k] = slices.Clone(vs)
			}
			v.Set("csrf", httpapi.CSRF(key, tok))
			if change != nil {
				change(v)
			}
			return []byte(v.Encode())
		}
		add := func(name, method, tok string, body []byte, h map[string]string, status int) {
			cases = append(cases, hostileCase{page + ": " + name, method, f.prefix + tok, body, h, status})
		}
		tampered := []byte(f.valid)
		tampered[len(tampered)/2] ^= 1
		if tampered[len(tampered)/2] == '-' || tampered[len(tampered)/2] == '_' {
			tampered[len(tampered)/2] = 'A'
		}
		links := []struct {
			name, tok string
			status    int
		}{
			{"a link that is garbage", "not-a-token", 404},
			{"a link of 600 characters", strings.Repeat("A", 600), 404},
			{"a link forged with a key that is not ours", f.forged, 404},
			{"a tampered link", string(tampered), 404},
			{"a genuine link of the other page", f.foreign, 404},
			{"a truncated link", f.valid[:len(f.valid)-4], 404},
			{"an expired link", f.expired, 410},
			{"markup as the link", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404},
			{"a path traversal as the link", "..%2F..%2Fetc%2Fpasswd", 404},
			{"SQL as the link", "'%20OR%201=1%20--", 404},
			{"a NUL in the link", f.valid[:10] + "%00" + f.valid[10:], 404},
		}
		for _, l := range links {
			add(l.name+" (GET)", http.MethodGet, l.tok, nil, nil, l.status)
			// The POST carries a CSRF field made for that link: the link
			// itself must be what is refused.
			add(l.name+" (POST)", http.MethodPost, l.tok, post(l.tok, nil), formType, l.status)
		}
		forgedCSRF := func(v url.Values) { v.Set("csrf", httpapi.CSRF(notOurs, f.forged)) }
		add("a forged link with the CSRF field of our key (POST)", http.MethodPost, f.forged, post(f.forged, func(v url.Values) { v.Set("csrf", httpapi.CSRF(key, f.forged)) }), formType, 404)
		add("a forged link with a forged CSRF field (POST)", http.MethodPost, f.forged, post(f.forged, forgedCSRF), formType, 404)

		// CSRF and origin.
		add("no CSRF field", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Del("csrf") }), formType, 403)
		add("an empty CSRF field", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Set("csrf", "") }), formType, 403)
		add("the CSRF field of another link", http.MethodPost, f.valid, post(f.foreign, nil), formType, 403)
		add("a CSRF field made with a key that is not ours", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Set("csrf", httpapi.CSRF(notOurs, f.valid)) }), formType, 403)
		add("another origin", http.MethodPost, f.valid, post(f.valid, nil), map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"}, 403)

		// Malformed forms, with a valid CSRF field.
		js := []byte(`{"rating":5,"csrf":"` + httpapi.CSRF(key, f.valid) + `"}`)
		add("JSON instead of a form", http.MethodPost, f.valid, js, map[string]string{"Content-Type": "application/json"}, 400)
		add("XML instead of a form", http.MethodPost, f.valid, []byte("<form/>"), map[string]string{"Content-Type": "application/xml"}, 400)
		add("a form in another charset", http.MethodPost, f.valid, post(f.valid, nil), map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=iso-8859-1"}, 400)
		huge := post(f.valid, func(v url.Values) { v.Set("padding", strings.Repeat("x", 200<<10)) })
		add("a form over its size limit", http.MethodPost, f.valid, huge, formType, 413)
		bad := append(post(f.valid, nil), "&x=%E2%8"...)
		add("a truncated percent-escape", http.MethodPost, f.valid, bad, formType, 400)
		comment := map[string]string{"/s/": "comment", "/a/": "comment:E1"}[f.prefix]
		score := map[string]string{"/s/": "rating", "/a/": "attitude:E1"}[f.prefix]
		add("invalid UTF-8 in the comment", http.MethodPost, f.valid, append(post(f.valid, func(v url.Values) { v.Del(comment) }), "&"+comment+"=%FF%FE"...), formType, 400)
		add("a comment of 10 000 characters", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Set(comment, strings.Repeat("x", 10000)) }), formType, 400)
		add("SQL as the score", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Set(score, "5' OR 1=1 --") }), formType, 400)
		add("markup as the score", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Set(score, "<script>alert(1)</script>") }), formType, 400)
		add("markup in the comment of a form without a score", http.MethodPost, f.valid,
			post(f.valid, func(v url.Values) { v.Del(score); v.Set(comment, "<script>alert(1)</script>' OR 1=1 --") }), formType, 400)
		add("the score twice", http.MethodPost, f.valid, post(f.valid, func(v url.Values) { v.Add(score, "1") }), formType, 400)
		if f.prefix == "/a/" {
			add("look-alike engineer ids instead of the engineer's", http.MethodPost, f.valid,
				post(f.valid, func(v url.Values) {
					v.Del("attitude:E1")
					v.Set("attitude:../E1", "100")
					v.Set("attitude:E1#", "100")
					v.Set("attitude:e1", "100")
					v.Set("attitude: E1", "100")
				}), formType, 400)
			add("a NUL in an engineer id", http.MethodPost, f.valid,
				post(f.valid, func(v url.Values) { v.Del("attitude:E1"); v.Set("attitude:E1\x00", "90") }), formType, 400)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, header, b := hostileDo(t, srv.URL, tc)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %.300q", status, tc.status, b)
			}
			if ct := header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			noMarkup(t, b)
		})
	}
	if d := cmp.Diff(before, scanTable(t, table)); d != "" {
		t.Errorf("refused requests changed the table (-before +after):\n%s", d)
	}
}

// Ids with '#', '%', "../", markup or SQL are valid (DESIGN §3 bounds ids by
// length and control characters only): each is stored under its own key,
// escaped (package dynamo keys.go), and cannot collide with or read another
// ticket — "T#1" + event "e" and "T" + event "1#e" would share a raw-event
// key if '#' were not escaped. Comments are data, stored as sent.
func TestHostileIDsAreStoredUnderTheirOwnKeys(t *testing.T) {
	srv, store, table := gateway(t)
	ctx := context.Background()
	comment := "<script>alert(1)</script>' OR 1=1 -- ../../etc/passwd #T"
	created := func(ticket, id string) []byte {
		return []byte(fmt.Sprintf(`{"event_id":%q,"ticket_id":%q,"type":"created","occurred_at":"2026-10-05T01:00:00Z"}`, id, ticket))
	}
	answered := []byte(fmt.Sprintf(`{"event_id":"a#1","ticket_id":"T","type":"survey_answered","occurred_at":"2026-10-06T01:00:00Z","rating":5,"comment":%q}`, comment))
	posts := []struct {
		ticket, id string
		body       []byte
	}{
		{"T#1", "e", created("T#1", "e")},
		{"T", "1#e", created("T", "1#e")},
		{"T", "a#1", answered},
		{"T%231", "e", created("T%231", "e")},
		{"T%1", "e", created("T%1", "e")},
		{"../T", "../e", created("../T", "../e")},
		{"<script>alert(1)</script>", "<script>", created("<script>alert(1)</script>", "<script>")},
		{"' OR 1=1 --", "' OR 1=1 --", created("' OR 1=1 --", "' OR 1=1 --")},
		{"T#", "#", created("T#", "#")},
	}
	g := secrets.Dev().Webhook[generic.Source]
	for _, p := range posts {
		tc := hostileCase{"", http.MethodPost, "/webhooks/generic", p.body, map[string]string{generic.SignatureHeader: generic.Sign(g, p.body), "Content-Type": "application/json"}, 200}
		status, _, b := hostileDo(t, srv.URL, tc)
		if status != 200 || string(b) != `{"stored":1,"duplicates":0}` {
			t.Fatalf("ticket %q event %q: %d %s; want it stored as a new event", p.ticket, p.id, status, b)
		}
	}
	// A replay of any of them changes nothing: each event is stored once
	// by its id.
	for _, p := range posts {
		tc := hostileCase{"", http.MethodPost, "/webhooks/generic", p.body, map[string]string{generic.SignatureHeader: generic.Sign(g, p.body), "Content-Type": "application/json"}, 200}
		if status, _, b := hostileDo(t, srv.URL, tc); status != 200 || string(b) != `{"stored":0,"duplicates":1}` {
			t.Errorf("replayed ticket %q event %q: %d %s; want a duplicate", p.ticket, p.id, status, b)
		}
	}
	// The same ticket id through Zendesk is another ticket.
	zr := hostileRoutes()[0]
	zb := zr.body("T#1", "z-1")
	status, _, b := hostileDo(t, srv.URL, hostileCase{"", http.MethodPost, "/webhooks/zendesk", zb, zr.sign(secrets.Dev().Webhook[zendesk.Source], zb), 200})
	if status != 200 || string(b) != `{"stored":1,"duplicates":0}` {
		t.Fatalf("zendesk T#1: %d %s", status, b)
	}

	want := map[dynamo.TicketKey][]string{{Source: zendesk.Source, ID: "T#1"}: {"z-1"}}
	for _, p := range posts {
		k := dynamo.TicketKey{Source: generic.Source, ID: p.ticket}
		want[k] = append(want[k], p.id)
	}
	for k, ids := range want {
		t.Run(k.Source+"/"+k.ID, func(t *testing.T) {
			st, evs, err := store.Ticket(ctx, k.Source, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range evs {
				if e.Source != k.Source || e.TicketID != k.ID {
					t.Errorf("event %q of %s/%q read as the ticket's", e.ID, e.Source, e.TicketID)
				}
				got = append(got, e.ID)
			}
			slices.Sort(ids)
			slices.Sort(got)
			if d := cmp.Diff(ids, got); d != "" {
				t.Errorf("events (-posted +stored):\n%s", d)
			}
			if st.ID != k.ID || st.Events != len(ids) {
				t.Errorf("state %s/%q with %d events", st.Source, st.ID, st.Events)
			}
			for _, id := range ids {
				e, err := store.Event(ctx, k.Source, k.ID, id)
				if err != nil || e.ID != id || e.TicketID != k.ID {
					t.Errorf("raw event %q: %+v %v", id, e, err)
				}
			}
		})
	}
	st, _, err := store.Ticket(ctx, generic.Source, "T")
	if err != nil || len(st.Answers) != 1 || st.Answers[0].Comment != comment {
		t.Errorf("the comment is not stored as sent: %+v %v", st.Answers, err)
	}
	// Lookups of keys that only exist if '#' were not escaped find nothing.
	for _, k := range [][2]string{{"generic", "T#1#e"}, {"generic#T", "1"}, {"generic", "T%23"}} {
		if _, _, err := store.Ticket(ctx, k[0], k[1]); err == nil {
			t.Errorf("ticket %s/%q exists", k[0], k[1])
		}
	}
	if _, err := store.Event(ctx, generic.Source, "T", "1#e#x"); err == nil {
		t.Error("an event id extended with '#' reads another event")
	}
	events, tickets := 0, map[string]bool{}
	for _, it := range scanTable(t, table) {
		if sk, _ := it["sk"].(string); strings.HasPrefix(sk, dynamo.EventSKPrefix) {
			events++
			tickets[it["pk"].(string)] = true
		}
	}
	if events != len(posts)+1 || len(tickets) != len(want) {
		t.Errorf("%d events and %d tickets stored, want %d and %d", events, len(tickets), len(posts)+1, len(want))
	}
}

// hostileDo sends one request and returns its status, headers and body.
func hostileDo(t *testing.T, base string, tc hostileCase) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(tc.method, base+tc.path, bytes.NewReader(tc.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range tc.headers {
		req.Header[http.CanonicalHeaderKey(k)] = []string{v}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// noMarkup fails when an answer echoes markup it was sent. (Values are
// quoted in errors as data — JSON-escaped or HTML-escaped — by design.)
func noMarkup(t *testing.T, b []byte) {
	t.Helper()
	if bytes.Contains(bytes.ToLower(b), []byte("<script")) {
		t.Errorf("the answer echoes markup: %.300q", b)
	}
}

// scanTable reads every item of a test's table, for comparing before and
// after.
func scanTable(t *testing.T, table string) []map[string]any {
	t.Helper()
	var out []map[string]any
	p := dynamodb.NewScanPaginator(dynamotest.Client(t), &dynamodb.ScanInput{TableName: &table, ConsistentRead: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var items []map[string]any
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &items); err != nil {
			t.Fatal(err)
		}
		out = append(out, items...)
	}
	slices.SortFunc(out, func(a, b map[string]any) int {
		return strings.Compare(fmt.Sprint(a["pk"], "|", a["sk"]), fmt.Sprint(b["pk"], "|", b["sk"]))
	})
	return out
}
