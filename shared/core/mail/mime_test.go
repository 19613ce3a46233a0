package mail_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/devkit/mimetest"
)

func TestBuildParsesBackIntoTheSameParts(t *testing.T) {
	m := mimetest.Sample()
	raw, err := mail.Build("Scorecard <scorecard@example.com>", []string{"mia@example.com", "Lee Ann <ann@example.com>"}, m, "seed1")
	if err != nil {
		t.Fatal(err)
	}
	got := mimetest.Parse(t, raw)
	want := mimetest.Message{
		From:      `"Scorecard" <scorecard@example.com>`,
		To:        `<mia@example.com>, "Lee Ann" <ann@example.com>`,
		Subject:   m.Subject,
		Structure: []string{"multipart/mixed", "multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png", m.Attachments[0].ContentType},
		Leaves: []mimetest.Leaf{
			{ContentType: "text/plain", Charset: "utf-8", Data: m.Text},
			{ContentType: "text/html", Charset: "utf-8", Data: m.HTML},
			{ContentType: "image/png", Disposition: "inline", Filename: "grades.png", ContentID: "<grade-histogram@scorecard>", Data: string(mimetest.PNG)},
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
	again, err := mail.Build("Scorecard <scorecard@example.com>", []string{"mia@example.com", "Lee Ann <ann@example.com>"}, m, "seed1")
	if err != nil || !bytes.Equal(raw, again) {
		t.Error("the same seed must give the same bytes")
	}
}

func TestBuildLeavesOutSingleChildContainers(t *testing.T) {
	full := mimetest.Sample()
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
			raw, err := mail.Build("a@example.com", []string{"b@example.com"}, tc.mail, "")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, mimetest.Parse(t, raw).Structure); diff != "" {
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
	raw, err := mail.Build("a@example.com", []string{"b@example.com"}, m, "s")
	if err != nil {
		t.Fatal(err)
	}
	p := mimetest.Parse(t, raw)
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
			_, err := mail.Build(tc.from, tc.to, tc.mail, "s")
			if errcode.Code(err) != errcode.Invalid || !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("want an invalid error about %q, got %v", tc.wantText, err)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "b@example.com") {
				t.Errorf("the error names an address: %v", err)
			}
		})
	}
}
