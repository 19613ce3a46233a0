// Package ses is the mail adapter: it sends the report package's mails
// through Amazon SES v2 as raw MIME messages (Build), so that one call
// carries the HTML and text bodies, the inline chart images and the .xlsx
// attachment.
//
// Errors are coded for the caller: what SES refuses because of the message
// or its addresses (MessageRejected, BadRequestException, an unverified
// sender domain, an unknown configuration set, any other HTTP 400) is
// errcode.Invalid and is not worth retrying; everything else (throttling,
// sending paused, network, 5xx) is errcode.Unavailable, "mail service
// unavailable; retry". Error messages and causes never contain addresses:
// SES's own message text, which can name them, is dropped, and only its
// error code and request id are kept. The package logs nothing.
//
// The local SES server of `make up` (aws-ses-v2-local 2.10.2) accepts
// Content.Raw on POST /v2/email/outbound-emails and parses the message with
// mailparser: GET /store lists it with the decoded subject, the recipients
// of its To header, the text and HTML bodies (cid: images turned into data:
// URLs) and every MIME part under attachments (inline images with their
// contentId, the .xlsx, base64 content). So the raw path is what runs
// locally too.
package ses

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/mail"
)

// MaxMessageBytes is SES v2's limit on a whole raw message, attachments and
// encoding included.
const MaxMessageBytes = 40 << 20

// Sender is the part of the SES v2 client the Mailer uses; *sesv2.Client is
// one.
type Sender interface {
	SendEmail(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// Mailer sends mails from one address, optionally through an SES
// configuration set (for bounce and complaint events).
type Mailer struct {
	client           Sender
	from             string
	configurationSet string
	seed             func() string // boundary seed, random unless a test says otherwise
}

// Client returns an SES v2 client, on endpoint when one is given (the
// local SES server). It lives here, not in awsenv, so that only functions
// that send mail link the SES client.
//
// It returns the client's SendEmail alone, as a method value behind a
// Sender, so that the client itself is never held in an interface: a function that
// executes a template would otherwise link every SES operation (see
// dynamo.SDK).
func Client(cfg aws.Config, endpoint string) Sender {
	c := sesv2.NewFromConfig(cfg, func(o *sesv2.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
	return sendEmail(c.SendEmail)
}

type sendEmail func(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)

func (f sendEmail) SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	return f(ctx, in, opts...)
}

// New returns a Mailer. configurationSet may be empty.
func New(client Sender, from string, configurationSet string) *Mailer {
	return &Mailer{client: client, from: from, configurationSet: configurationSet, seed: randomSeed}
}

func randomSeed() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Send sends mail to the recipients (all in To) and returns SES's message
// id.
func (m *Mailer) Send(ctx context.Context, to []string, msg mail.Mail) (messageID string, err error) {
	raw, err := mail.Build(m.from, to, msg, m.seed())
	if err != nil {
		return "", err
	}
	if len(raw) > MaxMessageBytes {
		return "", errcode.Errorf(errcode.TooLarge, "mail of %d bytes is over the %d bytes SES accepts", len(raw), MaxMessageBytes)
	}
	in := &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(m.from),
		Destination:      &types.Destination{ToAddresses: to},
		Content:          &types.EmailContent{Raw: &types.RawMessage{Data: raw}},
	}
	if m.configurationSet != "" {
		in.ConfigurationSetName = aws.String(m.configurationSet)
	}
	out, err := m.client.SendEmail(ctx, in)
	if err != nil {
		return "", classify(err)
	}
	if out == nil || aws.ToString(out.MessageId) == "" {
		return "", errcode.Errorf(errcode.Unavailable, "mail service unavailable; retry (no message id returned)")
	}
	return aws.ToString(out.MessageId), nil
}

// classify maps an error of SendEmail to an errcode.
func classify(err error) error {
	var (
		rejected   *types.MessageRejected
		badRequest *types.BadRequestException
		mailFrom   *types.MailFromDomainNotVerifiedException
		notFound   *types.NotFoundException
		api        smithy.APIError
	)
	switch {
	case errors.As(err, &rejected):
		return errcode.Wrap(errcode.Invalid, scrub(err), "mail rejected by the mail service (its content or an address)")
	case errors.As(err, &badRequest):
		return errcode.Wrap(errcode.Invalid, scrub(err), "mail service: bad request (check the addresses)")
	case errors.As(err, &mailFrom):
		return errcode.Wrap(errcode.Invalid, scrub(err), "mail service: the sender's domain is not verified")
	case errors.As(err, &notFound):
		return errcode.Wrap(errcode.Invalid, scrub(err), "mail service: configuration set or identity not found")
	case errors.As(err, &api) && !retryable(api.ErrorCode()) && status(err) == 400:
		return errcode.Wrap(errcode.Invalid, scrub(err), "mail service: bad request")
	}
	return errcode.Wrap(errcode.Unavailable, scrub(err), "mail service unavailable; retry")
}

// retryable are the 400-status SES errors that are worth retrying later.
func retryable(code string) bool {
	switch code {
	case "LimitExceededException", "TooManyRequestsException", "SendingPausedException",
		"AccountSuspendedException", "Throttling", "ThrottlingException":
		return true
	}
	return false
}

func status(err error) int {
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// scrub keeps what an operator needs from an SES error (operation, error
// code, HTTP status, request id) and drops SES's message, which may name an
// address. Errors that are not from the service (network, context) are
// kept as they are, so errors.Is(err, context.Canceled) still works.
func scrub(err error) error {
	var api smithy.APIError
	if !errors.As(err, &api) {
		return err
	}
	s := "ses SendEmail: " + api.ErrorCode()
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		s += fmt.Sprintf(" (HTTP %d, request id %s)", re.HTTPStatusCode(), re.ServiceRequestID())
	}
	return errors.New(s)
}
