// Package mimetest reads a raw MIME message back into its parts with the
// standard library's own readers (net/mail, mime/multipart), for the tests
// of what builds and sends mail: the builder's, SES's and the SMTP relay's.
package mimetest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"scorecard/shared/app/report"
	"scorecard/shared/core/directory"
	"scorecard/shared/core/mail"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
	"scorecard/shared/core/policy"
	"scorecard/shared/core/scoring"
)

// Leaf is a decoded MIME leaf part.
type Leaf struct {
	ContentType string // media type only
	Charset     string
	Disposition string
	Filename    string
	ContentID   string
	Data        string
}

// Message is a message parsed back with net/mail and mime/multipart.
type Message struct {
	From, To, Subject string
	Structure         []string // media types, depth first
	Leaves            []Leaf
}

func Parse(t testing.TB, raw []byte) Message {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject: %v", err)
	}
	p := Message{From: msg.Header.Get("From"), To: msg.Header.Get("To"), Subject: subject}
	if msg.Header.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version %q", msg.Header.Get("MIME-Version"))
	}
	walk(t, &p, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", "", msg.Body)
	return p
}

func walk(t testing.TB, p *Message, contentType, cte, disposition, cid string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	p.Structure = append(p.Structure, mt)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", mt, err)
			}
			walk(t, p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"),
				part.Header.Get("Content-Disposition"), part.Header.Get("Content-ID"), part)
		}
	}
	if cte != "base64" {
		t.Errorf("%s: transfer encoding %q, want base64", mt, cte)
	}
	enc, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimRight(string(enc), "\r\n"), "\r\n") {
		if len(line) > 76 {
			t.Errorf("%s: base64 line of %d characters", mt, len(line))
		}
	}
	data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(enc), "\r\n", ""))
	if err != nil {
		t.Fatalf("%s: base64: %v", mt, err)
	}
	l := Leaf{ContentType: mt, Charset: params["charset"], Data: string(data), ContentID: cid}
	if disposition != "" {
		d, dp, err := mime.ParseMediaType(disposition)
		if err != nil {
			t.Fatalf("disposition %q: %v", disposition, err)
		}
		l.Disposition, l.Filename = d, dp["filename"]
	}
	p.Leaves = append(p.Leaves, l)
}

// PNG is the bytes of Sample's inline image.
var PNG = []byte("\x89PNG\r\n\x1a\n fake image bytes \x00\x01\x02\xff")

// Sample is a mail with every kind of part: a folded non-ASCII subject,
// both bodies, an inline image and an attachment with a non-ASCII name.
func Sample() mail.Mail {
	return mail.Mail{
		Subject: "团队绩效报告 North — 2026年10月: a long subject that has to be folded over several lines",
		HTML:    `<!DOCTYPE html><html><body><p>Hello — 你好</p><img src="cid:grade-histogram@scorecard"></body></html>`,
		Text:    "Hello — 你好\n" + strings.Repeat("a long line of text ", 20),
		Inline:  []mail.Part{{Filename: "grades.png", ContentType: "image/png", ContentID: "grade-histogram@scorecard", Data: PNG}},
		Attachments: []mail.Part{{
			Filename:    "scorecard-华东-2026-10.xlsx",
			ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			Data:        []byte("PK\x03\x04 not really a zip \x00\xff"),
		}},
	}
}

// TeamReport is a real team report of two engineers, in Chinese: its
// chart inline and its workbook attached.
func TeamReport(t testing.TB) mail.Mail {
	t.Helper()
	p := policy.Default()
	oct := month.Month{Year: 2026, Month: time.October}
	v := func(num, den float64, n int) *metric.Value {
		return &metric.Value{Numerator: num, Denominator: den, N: n, Offending: []string{"T-1", "T-2"}}
	}
	months := []*metric.Month{
		{Engineer: metric.Engineer{ID: "E1", Team: "north"}, Tickets: 40, Values: map[metric.ID]*metric.Value{
			metric.ResolutionSLARate: v(36, 40, 40), metric.CSATScore: v(850, 10, 10)}},
		{Engineer: metric.Engineer{ID: "E2", Team: "north"}, Tickets: 30, Values: map[metric.ID]*metric.Value{
			metric.ResolutionSLARate: v(30, 30, 30), metric.CSATScore: v(950, 10, 10)}},
	}
	cards := scoring.Score(p, oct, months)
	m, err := report.TeamReport(report.Team{
		Name: "North", ManagerEmail: "mia@example.com", Locale: directory.LocaleZhCN, Month: oct, Cards: cards, Policy: p,
		Engineers: map[string]directory.Engineer{"E1": {ID: "E1", Name: "李安"}, "E2": {ID: "E2", Name: "Bo Chen"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSendToLocalSES sends a real team report through the SDK to the local
// SES server and reads it back from its store.
