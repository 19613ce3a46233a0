package ses_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"scorecard/shared/aws/ses"
	"scorecard/shared/core/errcode"
	"scorecard/shared/devkit/mimetest"
)

// fakeSender records the input and answers with out or err.
type fakeSender struct {
	in  *sesv2.SendEmailInput
	out *sesv2.SendEmailOutput
	err error
}

func (f *fakeSender) SendEmail(_ context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.in = in
	return f.out, f.err
}

// httpErr wraps an API error the way the SDK does, with an HTTP status.
func httpErr(status int, err error) error {
	return &smithy.OperationError{ServiceID: "SESv2", OperationName: "SendEmail", Err: &awshttp.ResponseError{
		RequestID: "req-1",
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}},
			Err:      err,
		},
	}}
}

const secret = "ann.secret@example.com"

func TestSendMapsErrors(t *testing.T) {
	msg := aws.String("Email address is not verified: " + secret)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"message rejected", httpErr(400, &types.MessageRejected{Message: msg}), errcode.Invalid},
		{"bad request (invalid address)", httpErr(400, &types.BadRequestException{Message: msg}), errcode.Invalid},
		{"sender domain not verified", httpErr(400, &types.MailFromDomainNotVerifiedException{Message: msg}), errcode.Invalid},
		{"configuration set not found", httpErr(404, &types.NotFoundException{Message: msg}), errcode.Invalid},
		{"another 400 from the service", httpErr(400, &smithy.GenericAPIError{Code: "InvalidParameterValue", Message: *msg}), errcode.Invalid},
		{"throttled", httpErr(429, &types.TooManyRequestsException{Message: msg}), errcode.Unavailable},
		{"daily quota exceeded", httpErr(400, &types.LimitExceededException{Message: msg}), errcode.Unavailable},
		{"sending paused", httpErr(400, &types.SendingPausedException{Message: msg}), errcode.Unavailable},
		{"account suspended", httpErr(400, &types.AccountSuspendedException{Message: msg}), errcode.Unavailable},
		{"service error", httpErr(500, &smithy.GenericAPIError{Code: "InternalFailure", Message: *msg}), errcode.Unavailable},
		{"network down", errors.New("dial tcp 127.0.0.1:8005: connection refused"), errcode.Unavailable},
		{"deadline", context.DeadlineExceeded, errcode.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := ses.New(&fakeSender{err: tc.err}, "scorecard@example.com", "")
			id, err := m.Send(context.Background(), []string{secret}, mimetest.Sample())
			if id != "" || errcode.Code(err) != tc.want {
				t.Fatalf("got (%q, %v), want a %s error", id, err, tc.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(errcode.Message(err), secret) {
				t.Errorf("the error names the address: %v", err)
			}
			if tc.want == errcode.Unavailable && errcode.Message(err) != "mail service unavailable; retry" {
				t.Errorf("message %q", errcode.Message(err))
			}
		})
	}
	t.Run("context errors stay visible to errors.Is", func(t *testing.T) {
		m := ses.New(&fakeSender{err: context.Canceled}, "scorecard@example.com", "")
		_, err := m.Send(context.Background(), []string{"b@example.com"}, mimetest.Sample())
		if !errors.Is(err, context.Canceled) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("the request id is kept for the logs", func(t *testing.T) {
		m := ses.New(&fakeSender{err: httpErr(500, &smithy.GenericAPIError{Code: "InternalFailure"})}, "scorecard@example.com", "")
		_, err := m.Send(context.Background(), []string{"b@example.com"}, mimetest.Sample())
		if !strings.Contains(err.Error(), "InternalFailure") || !strings.Contains(err.Error(), "req-1") || !strings.Contains(err.Error(), "HTTP 500") {
			t.Errorf("got %v", err)
		}
	})
}

func TestSendBuildsARawMessage(t *testing.T) {
	f := &fakeSender{out: &sesv2.SendEmailOutput{MessageId: aws.String("m-1")}}
	m := ses.New(f, "Scorecard <scorecard@example.com>", "scorecard-events")
	to := []string{"mia@example.com", "ann@example.com"}
	id, err := m.Send(context.Background(), to, mimetest.Sample())
	if err != nil || id != "m-1" {
		t.Fatalf("got (%q, %v)", id, err)
	}
	in := f.in
	if aws.ToString(in.FromEmailAddress) != "Scorecard <scorecard@example.com>" || aws.ToString(in.ConfigurationSetName) != "scorecard-events" {
		t.Errorf("from %q, configuration set %q", aws.ToString(in.FromEmailAddress), aws.ToString(in.ConfigurationSetName))
	}
	if in.Destination == nil || strings.Join(in.Destination.ToAddresses, ",") != strings.Join(to, ",") {
		t.Errorf("destination %+v", in.Destination)
	}
	if in.Content == nil || in.Content.Raw == nil || in.Content.Simple != nil {
		t.Fatalf("want raw content only: %+v", in.Content)
	}
	p := mimetest.Parse(t, in.Content.Raw.Data)
	if p.Subject != mimetest.Sample().Subject || len(p.Leaves) != 4 {
		t.Errorf("raw message: subject %q, %d parts", p.Subject, len(p.Leaves))
	}

	// Two sends use different boundaries.
	first := string(in.Content.Raw.Data)
	if _, err := m.Send(context.Background(), to, mimetest.Sample()); err != nil {
		t.Fatal(err)
	}
	if first == string(f.in.Content.Raw.Data) {
		t.Error("boundaries must be random per message")
	}

	// No configuration set: the field stays nil.
	f2 := &fakeSender{out: &sesv2.SendEmailOutput{MessageId: aws.String("m-2")}}
	if _, err := ses.New(f2, "scorecard@example.com", "").Send(context.Background(), to, mimetest.Sample()); err != nil || f2.in.ConfigurationSetName != nil {
		t.Errorf("configuration set %v, err %v", f2.in.ConfigurationSetName, err)
	}
}

func TestSendRefusesBeforeCallingSES(t *testing.T) {
	f := &fakeSender{out: &sesv2.SendEmailOutput{MessageId: aws.String("never")}}
	m := ses.New(f, "scorecard@example.com", "")
	if _, err := m.Send(context.Background(), nil, mimetest.Sample()); errcode.Code(err) != errcode.Invalid {
		t.Errorf("no recipients: %v", err)
	}
	huge := mimetest.Sample()
	huge.Attachments[0].Data = make([]byte, ses.MaxMessageBytes)
	if _, err := m.Send(context.Background(), []string{"b@example.com"}, huge); errcode.Code(err) != errcode.TooLarge {
		t.Errorf("over the size limit: %v", err)
	}
	if f.in != nil {
		t.Error("SES was called")
	}
	f.out = &sesv2.SendEmailOutput{}
	if _, err := m.Send(context.Background(), []string{"b@example.com"}, mimetest.Sample()); errcode.Code(err) != errcode.Unavailable {
		t.Errorf("no message id: %v", err)
	}
}
