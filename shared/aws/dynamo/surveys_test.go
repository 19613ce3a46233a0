package dynamo_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"scorecard/shared/core/survey"
	"scorecard/shared/source/vendorapi"
)

// TestRecordSurveyClaimsWhenTheAddressIsAtHand on DynamoDB Local: recording
// returns the address cached on the customer's item (from the update, no
// read of its own), and records the survey claimed only when asked to and
// its address is at hand — given, or cached after ContactSince; a survey
// recorded claimed cannot be claimed again, one recorded due can.
func TestRecordSurveyClaimsWhenTheAddressIsAtHand(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	cached := t0.Add(-24 * time.Hour)
	if err := st.CacheContact(ctx, "id:zendesk:3001", vendorapi.Contact{Email: "ann@example.com", Name: "Ann", Locale: "zh-cn"}, cached); err != nil {
		t.Fatal(err)
	}
	sv := func(id, customerKey, email string) survey.Survey {
		return survey.Survey{ID: id, Source: "zendesk", TicketID: id, Resolution: 1, ResolvedAt: t0, CustomerKey: customerKey, CustomerEmail: email,
			DueAt: t0, ExpiresAt: t0.Add(28 * 24 * time.Hour)}
	}
	quiet := t0.Add(time.Hour) // no quiet period in the way: every survey here is due at t0
	for _, tc := range []struct {
		name    string
		sv      survey.Survey
		rec     survey.Recording
		claimed bool
		contact string
	}{
		{"not asked to claim", sv("S1", "id:zendesk:3001", ""), survey.Recording{QuietSince: quiet}, false, "ann@example.com"},
		{"the address cached since", sv("S2", "id:zendesk:3002", "bob@example.com"), survey.Recording{QuietSince: quiet, ClaimAt: t0, ContactSince: t0.Add(-30 * 24 * time.Hour)}, true, ""},
		{"the cached address is fresh", sv("S3", "id:zendesk:3001", ""), survey.Recording{QuietSince: quiet, ClaimAt: t0, ContactSince: t0.Add(-30 * 24 * time.Hour)}, true, "ann@example.com"},
		{"the cached address is stale", sv("S4", "id:zendesk:3001", ""), survey.Recording{QuietSince: quiet, ClaimAt: t0, ContactSince: cached.Add(time.Hour)}, false, "ann@example.com"},
		{"no address at all", sv("S5", "id:zendesk:3005", ""), survey.Recording{QuietSince: quiet, ClaimAt: t0, ContactSince: t0.Add(-30 * 24 * time.Hour)}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := st.RecordSurvey(ctx, tc.sv, tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Claimed != tc.claimed || rec.ContactEmail != tc.contact {
				t.Errorf("recorded %+v; want claimed %v, cached address %q", rec, tc.claimed, tc.contact)
			}
			if tc.contact != "" && (rec.ContactName != "Ann" || rec.ContactLocale != "zh-cn" || !rec.ContactAt.Equal(cached)) {
				t.Errorf("the cached address: %+v", rec)
			}
			claim := st.ClaimSurvey(ctx, tc.sv.ID, t0)
			if tc.claimed != errors.Is(claim, survey.ErrNotRecorded) || !tc.claimed && claim != nil {
				t.Errorf("a claim after recording: %v; recorded claimed %v", claim, tc.claimed)
			}
			if _, err := st.RecordSurvey(ctx, tc.sv, tc.rec); !errors.Is(err, survey.ErrNotRecorded) {
				t.Errorf("recorded twice: %v", err)
			}
		})
	}
	// Which are recorded, in one batch read; one never recorded is not.
	got, err := st.SurveysRecorded(ctx, []string{"S1", "S2", "S3", "S4", "S5", "S9"})
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{"S1": true, "S2": true, "S3": true, "S4": true, "S5": true, "S9": false}; !maps.Equal(got, want) {
		t.Errorf("recorded: %v, want %v", got, want)
	}
	// Told wrongly that it is unrecorded (a batch read gone stale), the
	// store skips its own read and still refuses the survey recorded.
	if _, err := st.RecordSurvey(ctx, sv("S1", "id:zendesk:3001", ""), survey.Recording{QuietSince: quiet, Unrecorded: true}); !errors.Is(err, survey.ErrNotRecorded) {
		t.Errorf("recorded again when told it was not: %v", err)
	}

	// A claimed survey released after a failed mail is due again.
	if err := st.ReleaseSurvey(ctx, "S2"); err != nil {
		t.Fatal(err)
	}
	due, err := st.DueSurveys(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 5 {
		t.Errorf("%d surveys in the due index, want all 5 (claimed ones stay until sent)", len(due))
	}
	if err := st.ClaimSurvey(ctx, "S2", t0); err != nil {
		t.Errorf("the released survey cannot be claimed: %v", err)
	}
}
