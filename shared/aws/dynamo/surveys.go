package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/errcode"
	"scorecard/shared/core/event"
	"scorecard/shared/core/survey"
	"scorecard/shared/source/vendorapi"
)

// Surveys (keys in keys.go): the customer item holds last_surveyed and
// last_survey (the id of the survey that set it), opted_out, and
// contact_email, contact_name, contact_locale, contact_at (the address a
// ticketing system's API gave).
//
// A survey is recorded in two conditional writes, without a transaction
// (which bills every item twice): first the customer's last-surveyed time,
// refused when the customer opted out or was surveyed within the quiet
// period by another survey; then the survey, refused when the resolution
// already has it. A retry after a fault between the two passes the first
// (it is the same survey) and writes the second; a survey is never written
// for a customer the first refused. A survey due at once whose address is
// at hand is written claimed ("sending"), so that its mail follows with
// one write more (the mark) instead of a claim, a read of the customer's
// item and the mark.

var _ survey.Store = (*Store)(nil)

// RecordSurvey implements notifier.Store. The customer's item comes back
// from its update (ReturnValues ALL_NEW, which consumes no read units,
// per the UpdateItem API reference):
// the address cached on it decides whether the survey can be recorded
// already claimed (r.ClaimAt), and is handed to the notifier, which then
// reads nothing more before the mail.
func (s *Store) RecordSurvey(ctx context.Context, sv survey.Survey, r survey.Recording) (survey.Recorded, error) {
	var rec survey.Recorded
	b, err := json.Marshal(sv)
	if err != nil {
		return rec, err
	}
	// The notifier considers a resolved ticket again with each later
	// event that may bear on its survey: a read (half a unit) finds the
	// survey recorded before anything is written, unless the caller just
	// read it in a batch (SurveysRecorded). Should it have been recorded
	// since, the update below passes (the same survey) and the put is
	// refused: not recorded twice.
	if !r.Unrecorded {
		got, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: s.surveyKey(sv.ID), ProjectionExpression: aws.String(AttrPK)})
		if err != nil {
			return rec, unavailable("read survey", err)
		}
		if got.Item != nil {
			return rec, survey.ErrNotRecorded
		}
	}
	var refused *types.ConditionalCheckFailedException
	cust, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           &s.table,
		Key:                 map[string]types.AttributeValue{AttrPK: str(customerPK(sv.CustomerKey)), AttrSK: str(customerSK)},
		UpdateExpression:    aws.String("SET last_surveyed = :due, last_survey = :id"),
		ConditionExpression: aws.String("attribute_not_exists(opted_out) AND (attribute_not_exists(last_surveyed) OR last_surveyed < :quiet OR last_survey = :id)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":due": str(stamp(sv.DueAt)), ":quiet": str(stamp(r.QuietSince)), ":id": str(sv.ID),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	switch {
	case errors.As(err, &refused):
		return rec, survey.ErrNotRecorded
	case err != nil:
		return rec, unavailable("record survey", err)
	}
	if c, at, ok := contactOf(cust.Attributes); ok {
		rec.ContactEmail, rec.ContactName, rec.ContactLocale, rec.ContactAt = c.Email, c.Name, c.Locale, at
	}
	item := map[string]types.AttributeValue{
		AttrPK: str(surveyPK(sv.ID)), AttrSK: str(surveySK), "survey": &types.AttributeValueMemberB{Value: b},
		"state": str("due"), AttrGSI1PK: str(duePK(shardOf(sv.Source, sv.TicketID, s.opt.Shards))), AttrGSI1SK: str(dueSK(sv.DueAt, sv.ID)),
	}
	// Claimed as it is written, as ClaimSurvey would: it stays in the due
	// index, so that a release after a failed mail puts it back in the sweep.
	if !r.ClaimAt.IsZero() && (sv.CustomerEmail != "" || !rec.ContactAt.IsZero() && rec.ContactAt.After(r.ContactSince)) {
		item["state"], item["claimed_at"] = str("sending"), str(stamp(r.ClaimAt))
		rec.Claimed = true
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	switch {
	case errors.As(err, &refused):
		return survey.Recorded{}, survey.ErrNotRecorded
	case err != nil:
		return survey.Recorded{}, unavailable("record survey", err)
	}
	return rec, nil
}

// SurveysRecorded implements notifier.Store: which of the surveys are
// recorded, read 100 to a call (eventually consistent, as RecordSurvey's
// own read).
func (s *Store) SurveysRecorded(ctx context.Context, ids []string) (map[string]bool, error) {
	keys := make([]map[string]types.AttributeValue, len(ids))
	for i, id := range ids {
		keys[i] = s.surveyKey(id)
	}
	found, err := s.existing(ctx, keys, "read surveys")
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(ids))
	for i, id := range ids {
		out[id] = found[keyID(keys[i])]
	}
	return out, nil
}

// DueSurveys implements notifier.Store.
func (s *Store) DueSurveys(ctx context.Context, now time.Time) ([]survey.Survey, error) {
	var keys []map[string]types.AttributeValue
	for shard := range s.opt.Shards {
		p := dynamodb.NewQueryPaginator(s.db, &dynamodb.QueryInput{
			TableName: &s.table, IndexName: aws.String(IndexGSI1),
			KeyConditionExpression: aws.String("gsi1pk = :pk AND gsi1sk < :bound"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": str(duePK(shard)), ":bound": str(stamp(now) + "$"), // '#' < '$': every entry due at or before now
			},
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, unavailable("query due surveys", err)
			}
			for _, it := range page.Items {
				keys = append(keys, map[string]types.AttributeValue{AttrPK: it[AttrPK], AttrSK: it[AttrSK]})
			}
		}
	}
	var out []survey.Survey
	for start := 0; start < len(keys); start += 100 {
		pending := map[string]types.KeysAndAttributes{s.table: {Keys: keys[start:min(len(keys), start+100)], ConsistentRead: aws.Bool(true)}}
		for tries := 0; len(pending) > 0 && tries < 20; tries++ {
			res, err := s.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: pending})
			if err != nil {
				return nil, unavailable("read due surveys", err)
			}
			for _, it := range res.Responses[s.table] {
				sv, err := decodeSurvey(it)
				if err != nil {
					return nil, err
				}
				out = append(out, sv)
			}
			pending = res.UnprocessedKeys
		}
	}
	return out, nil
}

func decodeSurvey(item map[string]types.AttributeValue) (survey.Survey, error) {
	b, err := binary(item, "survey")
	if err != nil {
		return survey.Survey{}, err
	}
	var sv survey.Survey
	if err := json.Unmarshal(b, &sv); err != nil {
		return survey.Survey{}, fmt.Errorf("decode survey: %w", err)
	}
	return sv, nil
}

func (s *Store) surveyKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{AttrPK: str(surveyPK(id)), AttrSK: str(surveySK)}
}

// ClaimSurvey implements notifier.Store. Only a due survey can be claimed:
// a claim that was neither released nor marked sent (a sender that died, a
// mark that failed after the mail went out) is never taken again, so no
// customer gets a survey twice.
func (s *Store) ClaimSurvey(ctx context.Context, id string, now time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: s.surveyKey(id),
		UpdateExpression:         aws.String("SET #st = :sending, claimed_at = :now"),
		ConditionExpression:      aws.String("attribute_exists(pk) AND #st = :due"),
		ExpressionAttributeNames: map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":sending": str("sending"), ":due": str("due"), ":now": str(stamp(now)),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return survey.ErrNotRecorded
	}
	if err != nil {
		return unavailable("claim survey", err)
	}
	return nil
}

// ReleaseSurvey implements notifier.Store.
func (s *Store) ReleaseSurvey(ctx context.Context, id string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: s.surveyKey(id),
		UpdateExpression:          aws.String("SET #st = :due"),
		ConditionExpression:       aws.String("#st = :sending"),
		ExpressionAttributeNames:  map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":due": str("due"), ":sending": str("sending")},
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return unavailable("release survey", err)
	}
	return nil
}

// MarkSurveySent implements notifier.Store: the survey leaves the due index.
func (s *Store) MarkSurveySent(ctx context.Context, id, messageID string, now time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: s.surveyKey(id),
		UpdateExpression:          aws.String("SET #st = :sent, sent_at = :now, message_id = :mid REMOVE gsi1pk, gsi1sk"),
		ExpressionAttributeNames:  map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":sent": str("sent"), ":now": str(stamp(now)), ":mid": str(messageID)},
	})
	if err != nil {
		return unavailable("mark survey sent", err)
	}
	return nil
}

// DropSurvey implements notifier.Store: a claimed survey that cannot be
// sent leaves the due index, with the reason.
func (s *Store) DropSurvey(ctx context.Context, id, reason string, now time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: s.surveyKey(id),
		UpdateExpression:         aws.String("SET #st = :dropped, dropped_at = :now, reason = :why REMOVE gsi1pk, gsi1sk"),
		ConditionExpression:      aws.String("#st = :sending"),
		ExpressionAttributeNames: map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":dropped": str("unreachable"), ":now": str(stamp(now)), ":why": str(reason), ":sending": str("sending"),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if err != nil && !errors.As(err, &ccf) {
		return unavailable("drop survey", err)
	}
	return nil
}

// CachedContact implements notifier.ContactCache.
func (s *Store) CachedContact(ctx context.Context, customerKey string) (vendorapi.Contact, time.Time, bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &s.table, Key: map[string]types.AttributeValue{AttrPK: str(customerPK(customerKey)), AttrSK: str(customerSK)},
		ProjectionExpression: aws.String("contact_email, contact_name, contact_locale, contact_at"),
	})
	if err != nil {
		return vendorapi.Contact{}, time.Time{}, false, unavailable("read customer", err)
	}
	c, at, ok := contactOf(out.Item)
	return c, at, ok, nil
}

// contactOf is the address cached on a customer's item; ok is false when
// there is none (or it cannot be read: it is then looked up again).
func contactOf(item map[string]types.AttributeValue) (vendorapi.Contact, time.Time, bool) {
	var c struct {
		Email  string `dynamodbav:"contact_email"`
		Name   string `dynamodbav:"contact_name"`
		Locale string `dynamodbav:"contact_locale"`
		At     string `dynamodbav:"contact_at"`
	}
	if err := attributevalue.UnmarshalMap(item, &c); err != nil || c.Email == "" {
		return vendorapi.Contact{}, time.Time{}, false
	}
	at, err := time.Parse(stampLayout, c.At)
	if err != nil {
		return vendorapi.Contact{}, time.Time{}, false
	}
	return vendorapi.Contact{Email: c.Email, Name: c.Name, Locale: c.Locale}, at, true
}

// CacheContact implements notifier.ContactCache.
func (s *Store) CacheContact(ctx context.Context, customerKey string, c vendorapi.Contact, now time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: map[string]types.AttributeValue{AttrPK: str(customerPK(customerKey)), AttrSK: str(customerSK)},
		UpdateExpression: aws.String("SET contact_email = :e, contact_name = :n, contact_locale = :l, contact_at = :at"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":e": str(c.Email), ":n": str(c.Name), ":l": str(c.Locale), ":at": str(stamp(now)),
		},
	})
	if err != nil {
		return unavailable("cache customer address", err)
	}
	return nil
}

// Survey implements survey.Store.
func (s *Store) Survey(ctx context.Context, id string) (survey.Survey, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: s.surveyKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return survey.Survey{}, unavailable("read survey", err)
	}
	if out.Item == nil {
		return survey.Survey{}, errcode.Errorf(errcode.NotFound, "link not found")
	}
	return decodeSurvey(out.Item)
}

// Answer implements survey.Store: the answer is kept on the survey and
// becomes a survey_answered event of the ticket, crediting the engineer
// recorded at resolution, so the month it is received scores it.
func (s *Store) Answer(ctx context.Context, id string, a survey.Answer, now time.Time) (survey.Survey, error) {
	sv, err := s.Survey(ctx, id)
	if err != nil {
		return survey.Survey{}, err
	}
	first := now
	if sv.Answer != nil {
		if !sv.Changeable(now) {
			return sv, errcode.Errorf(errcode.Conflict, "already answered")
		}
		first = sv.Answer.FirstAt
	}
	a.At, a.FirstAt = now, first
	sv.Answer = &a
	b, err := json.Marshal(sv)
	if err != nil {
		return sv, err
	}
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: s.surveyKey(id),
		UpdateExpression:         aws.String("SET #sv = :s, first_answered = if_not_exists(first_answered, :first)"),
		ExpressionAttributeNames: map[string]string{"#sv": "survey"},
		ConditionExpression:      aws.String("attribute_not_exists(first_answered) OR first_answered >= :window"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":s": &types.AttributeValueMemberB{Value: b}, ":first": str(stamp(first)), ":window": str(stamp(now.Add(-survey.ChangeWindow))),
		},
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return sv, errcode.Errorf(errcode.Conflict, "already answered")
	}
	if err != nil {
		return sv, unavailable("record answer", err)
	}
	ev := event.Event{
		Source: sv.Source, ID: "survey-" + sv.ID + "-" + strconv.FormatInt(now.UnixNano(), 36), TicketID: sv.TicketID,
		Type: event.SurveyAnswered, OccurredAt: now.UTC(), Actor: event.Actor{ID: sv.CustomerKey, Kind: event.Customer},
		AssigneeID: sv.EngineerAgentID, Rating: a.Rating, Solved: a.Solved, Comment: a.Comment,
	}
	if _, err := s.Ingest(ctx, []event.Event{ev}); err != nil {
		return sv, err
	}
	return sv, nil
}

// OptOut implements survey.Store.
func (s *Store) OptOut(ctx context.Context, customerKey string, now time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table, Key: map[string]types.AttributeValue{AttrPK: str(customerPK(customerKey)), AttrSK: str(customerSK)},
		UpdateExpression:          aws.String("SET opted_out = if_not_exists(opted_out, :now)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": str(stamp(now))},
	})
	if err != nil {
		return unavailable("record opt-out", err)
	}
	return nil
}
