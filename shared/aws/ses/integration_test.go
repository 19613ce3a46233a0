package ses_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sesv2types "github.com/aws/aws-sdk-go-v2/service/sesv2/types"

	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
	"scorecard/shared/devkit/mimetest"
)

// endpoint is the local SES server of `make up`: SES_ENDPOINT, or
// http://127.0.0.1:8005.
func endpoint() string {
	if e := os.Getenv("SES_ENDPOINT"); e != "" {
		return strings.TrimRight(e, "/")
	}
	return "http://127.0.0.1:8005"
}

func localClient() *sesv2.Client {
	return sesv2.New(sesv2.Options{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("dummykey", "dummysecret", ""),
		BaseEndpoint:     aws.String(endpoint()),
		RetryMaxAttempts: 1,
	})
}

// storedMail is a mail as aws-ses-v2-local's GET /store lists it.
type storedMail struct {
	MessageID   string `json:"messageId"`
	From        string `json:"from"`
	Destination struct {
		To []string `json:"to"`
	} `json:"destination"`
	Subject string `json:"subject"`
	Body    struct {
		HTML string `json:"html"`
		Text string `json:"text"`
	} `json:"body"`
	Attachments []struct {
		Filename    string `json:"filename"`
		ContentType string `json:"contentType"`
		ContentID   string `json:"contentId"`
		Content     string `json:"content"` // base64
		Related     bool   `json:"related"`
	} `json:"attachments"`
}

func stored(t *testing.T, messageID string) storedMail {
	t.Helper()
	resp, err := http.Get(endpoint() + "/store")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var store struct {
		Emails []storedMail `json:"emails"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&store); err != nil {
		t.Fatalf("GET /store: %v", err)
	}
	for _, m := range store.Emails {
		if m.MessageID == messageID {
			return m
		}
	}
	t.Fatalf("message %s is not in the store", messageID)
	return storedMail{}
}

func TestSendToLocalSES(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if resp, err := http.Get(endpoint() + "/store"); err != nil {
		t.Fatalf("the local SES server does not answer on %s (`make up` starts it; SES_ENDPOINT moves it): %v", endpoint(), err)
	} else {
		resp.Body.Close()
	}
	mail := mimetest.TeamReport(t)
	m := ses.New(localClient(), "Scorecard <scorecard@example.com>", "")
	id, err := m.Send(ctx, []string{"mia@example.com"}, mail)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	got := stored(t, id)

	if got.Subject != mail.Subject || !strings.Contains(got.Subject, "团队绩效报告") {
		t.Errorf("subject %q, want %q", got.Subject, mail.Subject)
	}
	if strings.Join(got.Destination.To, ",") != "mia@example.com" {
		t.Errorf("to %v", got.Destination.To)
	}
	if !strings.Contains(got.From, "scorecard@example.com") {
		t.Errorf("from %q", got.From)
	}
	// The server inlines cid: images as data: URLs; the rest of the HTML is ours.
	if !strings.Contains(got.Body.HTML, "团队绩效报告：North") || !strings.Contains(got.Body.HTML, "李安") ||
		!strings.Contains(got.Body.HTML, "data:image/png;base64,") {
		t.Errorf("stored HTML lacks the report:\n%.400s", got.Body.HTML)
	}
	if !strings.Contains(got.Body.Text, "李安 (E1)") {
		t.Errorf("stored text lacks the report:\n%.400s", got.Body.Text)
	}
	byName := map[string][]byte{}
	cids := map[string]bool{}
	for _, a := range got.Attachments {
		data, err := base64.StdEncoding.DecodeString(a.Content)
		if err != nil {
			t.Fatalf("attachment %s: %v", a.Filename, err)
		}
		byName[a.Filename] = data
		if a.ContentID != "" {
			cids[a.ContentID] = true
		}
	}
	x := mail.Attachments[0]
	if !bytes.Equal(byName[x.Filename], x.Data) {
		t.Errorf("attachment %s: %d bytes stored, want the %d of the workbook", x.Filename, len(byName[x.Filename]), len(x.Data))
	}
	for _, p := range mail.Inline {
		if !bytes.Equal(byName[p.Filename], p.Data) || !cids["<"+p.ContentID+">"] {
			t.Errorf("inline image %s (%s) not stored as sent", p.Filename, p.ContentID)
		}
	}
}

// TestLocalSESRejectsABadRequest checks the mapping against a real client:
// the server answers 400 to a message without a From it can parse.
func TestLocalSESRejectsABadRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := localClient().SendEmail(ctx, &sesv2.SendEmailInput{
		Content: &sesv2types.EmailContent{Raw: &sesv2types.RawMessage{Data: []byte("Subject: x\r\n\r\nno from\r\n")}},
	})
	if err == nil {
		t.Fatal("the local server accepted a message without From")
	}
	m := ses.New(rejecting{err}, "scorecard@example.com", "")
	if _, err := m.Send(ctx, []string{"b@example.com"}, mail.Mail{Subject: "s", Text: "t"}); errcode.Code(err) != errcode.Invalid {
		t.Errorf("a 400 from the server is invalid, got %v", err)
	}
}

type rejecting struct{ err error }

func (r rejecting) SendEmail(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	return nil, r.err
}
