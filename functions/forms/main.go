// Command forms is the Lambda behind GET/POST /s/{token} (the survey page a
// customer reaches from the survey mail, shared/app/surveyform) and GET/POST
// /a/{token} (the month-end assessment forms, shared/app/assessmentform),
// GET/POST /e/{token} (an engineer's evidence and disputes) and GET/POST
// /d/{token} (a lead settling a dispute; both shared/app/evidencepage).
package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the policy's time zone, whatever the runtime image has

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"

	"scorecard/shared/app/assessmentform"
	"scorecard/shared/app/evidencepage"
	"scorecard/shared/app/formkit"
	"scorecard/shared/app/httpapi"
	"scorecard/shared/app/reviewform"
	"scorecard/shared/app/surveyform"
	"scorecard/shared/aws/startup"
	"scorecard/shared/source"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	h, err := setup(context.Background(), os.Getenv, log)
	if err != nil {
		log.Error("cannot start", "err", err)
		os.Exit(1)
	}
	lambda.Start(h)
}

// setup builds the handlers once per cold start.
func setup(ctx context.Context, getenv func(string) string, log *slog.Logger) (httpapi.HandlerFunc, error) {
	c, err := startup.Load(ctx, getenv, []string{"BASE_URL"}, "link-signing-key")
	if err != nil {
		return nil, err
	}
	store, base := c.Store(), getenv("BASE_URL")
	site := formkit.Config{Key: c.Secrets.SigningKey, Now: time.Now, Log: log, BaseURL: base}
	surveys := &surveyform.Handler{Config: site, Store: store}
	assessments := &assessmentform.Handler{Config: site, Store: store, Location: c.Policy.Location()}
	links := source.TicketURLs(c.Secrets.API)
	evidence := &evidencepage.Handler{Config: site, Store: store, TicketURL: links, Disputes: c.Policy.Disputes, Location: c.Policy.Location(), Rubric: c.Policy.Quality.Rubric()}
	settle := &evidencepage.Settle{Config: site, Store: store, TicketURL: links}
	review := &reviewform.Handler{Config: site, Store: store, Rubric: c.Policy.Quality.Rubric(), Location: c.Policy.Location(), TicketURL: links}
	return route(surveys.Handle, assessments.Handle, evidence.Handle, settle.Handle, review.Handle), nil
}

// route sends /a/{token} to the assessment forms, /e/{token} to the
// evidence pages, /d/{token} to the dispute settling pages, /q/{token} to
// the quality review pages and the rest to the survey pages.
func route(surveys, assessments, evidence, settle, review httpapi.HandlerFunc) httpapi.HandlerFunc {
	return func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		switch {
		case strings.HasPrefix(req.RawPath, "/a/"):
			return assessments(ctx, req)
		case strings.HasPrefix(req.RawPath, "/e/"):
			return evidence(ctx, req)
		case strings.HasPrefix(req.RawPath, "/d/"):
			return settle(ctx, req)
		case strings.HasPrefix(req.RawPath, "/q/"):
			return review(ctx, req)
		}
		return surveys(ctx, req)
	}
}
