package ses_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
)

// leaf is a decoded MIME leaf part.
type leaf struct {
	ContentType string // media type only
	Charset     string
	Disposition string
	Filename    string
	ContentID   string
	Data        string
}

// parsed is a message parsed back with net/mail and mime/multipart.
type parsed struct {
	From, To, Subject string
	Structure         []string // media types, depth first
	Leaves            []leaf
}

func parse(t *testing.T, raw []byte) parsed {
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
	p := parsed{From: msg.Header.Get("From"), To: msg.Header.Get("To"), Subject: subject}
	if msg.Header.Get("MIME-Version") != "1.0" {
		t.Errorf("MIME-Version %q", msg.Header.Get("MIME-Version"))
	}
	walk(t, &p, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", "", msg.Body)
	return p
}

func walk(t *testing.T, p *parsed, contentType, cte, disposition, cid string, body io.Reader) {
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
	l := leaf{ContentType: mt, Charset: params["charset"], Data: string(data), ContentID: cid}
	if disposition != "" {
		d, dp, err := mime.ParseMediaType(disposition)
		if err != nil {
			t.Fatalf("disposition %q: %v", disposition, err)
		}
		l.Disposition, l.Filename = d, dp["filename"]
	}
	p.Leaves = append(p.Leaves, l)
}

var png1x1 = []byte("\x89PNG\r\n\x1a\n fake image bytes \x00\x01\x02\xff")

func sampleMail() mail.Mail {
	return mail.Mail{
		Subject: "团队绩效报告 North — 2026年10月: a long subject that has to be folded over several lines",
		HTML:    `<!DOCTYPE html><html><body><p>Hello — 你好</p><img src="cid:grade-histogram@scorecard"></body></html>`,
		Text:    "Hello — 你好\n" + strings.Repeat("a long line of text ", 20),
		Inline:  []mail.Part{{Filename: "grades.png", ContentType: "image/png", ContentID: "grade-histogram@scorecard", Data: png1x1}},
		Attachments: []mail.Part{{
			Filename:    "scorecard-华东-2026-10.xlsx",
			ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			Data:        []byte("PK\x03\x04 not really a zip \x00\xff"),
		}},
	}
}

func TestBuildParsesBackIntoTheSameParts(t *testing.T) {
	m := sampleMail()
	raw, err := ses.Build("Scorecard <scorecard@example.com>", []string{"mia@example.com", "Lee Ann <ann@example.com>"}, m, "seed1")
	if err != nil {
		t.Fatal(err)
	}
	got := parse(t, raw)
	want := parsed{
		From:      `"Scorecard" <scorecard@example.com>`,
		To:        `<mia@example.com>, "Lee Ann" <ann@example.com>`,
		Subject:   m.Subject,
		Structure: []string{"multipart/mixed", "multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png", m.Attachments[0].ContentType},
		Leaves: []leaf{
			{ContentType: "text/plain", Charset: "utf-8", Data: m.Text},
			{ContentType: "text/html", Charset: "utf-8", Data: m.HTML},
			{ContentType: "image/png", Disposition: "inline", Filename: "grades.png", ContentID: "<grade-histogram@scorecard>", Data: string(png1x1)},
			{ContentType: m.Attachments[0].ContentType, Disposition: "attachment", Filename: "scorecard-华东-2026-10.xlsx", Data: string(m.Attachments[0].Data)},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parsed back (-want +got):\n%s", diff)
	}
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line %d has %d characters: %q", i+1, len(line), line)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("a bare LF: lines must end in CRLF")
	}
	if strings.Contains(string(raw), "团队") {
		t.Error("raw UTF-8 in the headers or bodies: everything must be encoded")
	}
	again, err := ses.Build("Scorecard <scorecard@example.com>", []string{"mia@example.com", "Lee Ann <ann@example.com>"}, m, "seed1")
	if err != nil || !bytes.Equal(raw, again) {
		t.Error("the same seed must give the same bytes")
	}
}

func TestBuildLeavesOutSingleChildContainers(t *testing.T) {
	full := sampleMail()
	tests := []struct {
		name string
		mail mail.Mail
		want []string
	}{
		{"no attachments", mail.Mail{Subject: "s", HTML: "<p>h</p>", Text: "t", Inline: full.Inline},
			[]string{"multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png"}},
		{"no inline images", mail.Mail{Subject: "s", HTML: "<p>h</p>", Text: "t", Attachments: full.Attachments},
			[]string{"multipart/mixed", "multipart/alternative", "text/plain", "text/html", full.Attachments[0].ContentType}},
		{"bodies only", mail.Mail{Subject: "s", HTML: "<p>h</p>", Text: "t"},
			[]string{"multipart/alternative", "text/plain", "text/html"}},
		{"text only", mail.Mail{Subject: "s", Text: "t"}, []string{"text/plain"}},
		{"html only", mail.Mail{Subject: "s", HTML: "<p>h</p>"}, []string{"text/html"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := ses.Build("a@example.com", []string{"b@example.com"}, tc.mail, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, parse(t, raw).Structure); diff != "" {
				t.Errorf("structure (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuildPartDetails(t *testing.T) {
	m := mail.Mail{Subject: "plain ascii subject", Text: "t", HTML: "h", Attachments: []mail.Part{
		{Filename: "../../etc/report\r\n.xlsx", Data: []byte("x")},
		{Filename: "", ContentType: "not a type", Data: []byte("y")},
	}}
	raw, err := ses.Build("a@example.com", []string{"b@example.com"}, m, "s")
	if err != nil {
		t.Fatal(err)
	}
	p := parse(t, raw)
	if p.Subject != "plain ascii subject" || !strings.Contains(string(raw), "Subject: plain ascii subject\r\n") {
		t.Errorf("an ASCII subject is left as it is: %q", p.Subject)
	}
	a, b := p.Leaves[2], p.Leaves[3]
	if a.Filename != "report.xlsx" || a.ContentType != "application/octet-stream" {
		t.Errorf("path and control characters are dropped, a missing type is octet-stream: %+v", a)
	}
	if b.Filename != "" || b.Disposition != "attachment" || b.ContentType != "application/octet-stream" {
		t.Errorf("nameless attachment with a bad type: %+v", b)
	}
}

func TestBuildRejectsBadInput(t *testing.T) {
	ok := mail.Mail{Subject: "s", Text: "t"}
	tests := []struct {
		name     string
		from     string
		to       []string
		mail     mail.Mail
		wantText string
	}{
		{"bad sender", "not an address", []string{"b@example.com"}, ok, "sender"},
		{"no recipients", "a@example.com", nil, ok, "no recipients"},
		{"a bad recipient, not named", "a@example.com", []string{"b@example.com", "secret@@example.com"}, ok, "recipient 2"},
		{"header injection", "a@example.com", []string{"b@example.com\r\nBcc: c@example.com"}, ok, "recipient 1"},
		{"no subject", "a@example.com", []string{"b@example.com"}, mail.Mail{Text: "t"}, "subject"},
		{"no body", "a@example.com", []string{"b@example.com"}, mail.Mail{Subject: "s"}, "body"},
		{"bad content id", "a@example.com", []string{"b@example.com"},
			mail.Mail{Subject: "s", Text: "t", Inline: []mail.Part{{ContentID: "a b>", Data: []byte("x")}}}, "Content-ID"},
		{"empty content id", "a@example.com", []string{"b@example.com"},
			mail.Mail{Subject: "s", Text: "t", Inline: []mail.Part{{Data: []byte("x")}}}, "Content-ID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ses.Build(tc.from, tc.to, tc.mail, "s")
			if errcode.Code(err) != errcode.Invalid || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("want an invalid error about %q, got %v", tc.wantText, err)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "b@example.com") {
				t.Errorf("the error names an address: %v", err)
			}
		})
	}
}
