package dynamo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"scorecard/shared/core/dispute"
	"scorecard/shared/core/errcode"
	"scorecard/shared/core/metric"
	"scorecard/shared/core/month"
)

// Disputes are stored per month: DSP#<month> / <engineer>#<id>, the
// dispute's JSON under "dispute"; beside them DSP#<month> / #N#<engineer>
// counts the engineer's disputes of the month, so that the policy's limit
// holds however many forms are posted at once. Every step (opened,
// accepted, rejected) writes an audit entry (AUDIT#<month>) in the same
// transaction; an accepted dispute writes its exclusion there too.

func (s *Store) disputeItems(d dispute.Dispute, step string) (types.Put, types.Put, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return types.Put{}, types.Put{}, err
	}
	item := types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(disputePK(d.Month)), AttrSK: str(disputeSK(d.EngineerID, d.ID)),
		"dispute": &types.AttributeValueMemberB{Value: b}, "status": str(string(d.Status)),
	}}
	audit := types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
		AttrPK: str(auditPK(d.Month)), AttrSK: str(disputeAuditSK(d, step)),
		"engineer_id": str(d.EngineerID), "dispute": &types.AttributeValueMemberB{Value: b}, "step": str(step),
	}}
	return item, audit, nil
}

// OpenDispute stores a new dispute with its audit entry. A dispute of the
// same place already stored is errcode.Conflict, as is one past limit
// disputes of the engineer's month.
func (s *Store) OpenDispute(ctx context.Context, d dispute.Dispute, limit int) error {
	if d.ID == "" || d.EngineerID == "" || d.Month.IsZero() || d.Status != dispute.Open {
		return errcode.Errorf(errcode.Invalid, "dispute: an open dispute with an id, engineer and month is required")
	}
	item, audit, err := s.disputeItems(d, string(dispute.Open))
	if err != nil {
		return err
	}
	item.ConditionExpression = aws.String("attribute_not_exists(pk)")
	count := types.Update{TableName: &s.table,
		Key:                       map[string]types.AttributeValue{AttrPK: str(disputePK(d.Month)), AttrSK: str(disputeCountSK(d.EngineerID))},
		UpdateExpression:          aws.String("ADD n :one"),
		ConditionExpression:       aws.String("attribute_not_exists(n) OR n < :limit"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1), ":limit": num(limit)},
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &item}, {Update: &count}, {Put: &audit},
	}})
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		for i, r := range canceled.CancellationReasons {
			if aws.ToString(r.Code) != "ConditionalCheckFailed" {
				continue
			}
			if i == 0 {
				return errcode.Errorf(errcode.Conflict, "you already disputed this")
			}
			return errcode.Errorf(errcode.Conflict, "at most %d disputes a month", limit)
		}
		return errcode.Wrap(errcode.Unavailable, err, "storage busy; retry")
	}
	if err != nil {
		return unavailable("open dispute", err)
	}
	return nil
}

// SettleDispute stores an open dispute's decision (d as dispute.Settle
// returned it) with its audit entry and, accepted, its exclusion, in one
// transaction: a dispute settled meanwhile is errcode.Conflict and nothing
// is written.
func (s *Store) SettleDispute(ctx context.Context, d dispute.Dispute) error {
	if d.Status != dispute.Accepted && d.Status != dispute.Rejected {
		return errcode.Errorf(errcode.Invalid, "dispute %s: settle with accepted or rejected, not %q", d.ID, d.Status)
	}
	item, audit, err := s.disputeItems(d, string(d.Status))
	if err != nil {
		return err
	}
	item.ConditionExpression = aws.String("#st = :open")
	item.ExpressionAttributeNames = map[string]string{"#st": "status"}
	item.ExpressionAttributeValues = map[string]types.AttributeValue{":open": str(string(dispute.Open))}
	items := []types.TransactWriteItem{{Put: &item}, {Put: &audit}}
	if d.Status == dispute.Accepted {
		x := d.Exclusion()
		b, err := json.Marshal(x)
		if err != nil {
			return err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: &s.table, Item: map[string]types.AttributeValue{
			AttrPK: str(exclusionPK(d.Month)), AttrSK: str(exclusionSK(x)), "exclusion": &types.AttributeValueMemberB{Value: b},
		}}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	var canceled *types.TransactionCanceledException
	if errors.As(err, &canceled) {
		if rs := canceled.CancellationReasons; len(rs) > 0 && aws.ToString(rs[0].Code) == "ConditionalCheckFailed" {
			return errcode.Errorf(errcode.Conflict, "this dispute was already settled")
		}
		return errcode.Wrap(errcode.Unavailable, err, "storage busy; retry")
	}
	if err != nil {
		return unavailable("settle dispute", err)
	}
	return nil
}

// MarkDisputeApplied records that an accepted dispute's rescore is stored.
func (s *Store) MarkDisputeApplied(ctx context.Context, d dispute.Dispute) error {
	d.Applied = true
	item, _, err := s.disputeItems(d, "")
	if err != nil {
		return err
	}
	item.ConditionExpression = aws.String("#st = :accepted")
	item.ExpressionAttributeNames = map[string]string{"#st": "status"}
	item.ExpressionAttributeValues = map[string]types.AttributeValue{":accepted": str(string(dispute.Accepted))}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: item.TableName, Item: item.Item,
		ConditionExpression: item.ConditionExpression, ExpressionAttributeNames: item.ExpressionAttributeNames,
		ExpressionAttributeValues: item.ExpressionAttributeValues}); err != nil {
		return unavailable("mark dispute applied", err)
	}
	return nil
}

// Disputes are month m's disputes, by engineer and id.
func (s *Store) Disputes(ctx context.Context, m month.Month) ([]dispute.Dispute, error) {
	items, err := s.queryAll(ctx, disputePK(m), "")
	if err != nil {
		return nil, err
	}
	var out []dispute.Dispute
	for _, item := range items {
		if sk, _ := item[AttrSK].(*types.AttributeValueMemberS); sk != nil && strings.HasPrefix(sk.Value, "#") {
			continue // a count
		}
		b, err := binary(item, "dispute")
		if err != nil {
			return nil, err
		}
		var d dispute.Dispute
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("decode dispute: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// Dispute is one stored dispute; errcode.NotFound when there is none.
func (s *Store) Dispute(ctx context.Context, m month.Month, engineerID, id string) (dispute.Dispute, error) {
	var d dispute.Dispute
	ok, err := s.getJSON(ctx, disputePK(m), disputeSK(engineerID, id), "dispute", &d)
	if err != nil {
		return dispute.Dispute{}, err
	}
	if !ok {
		return dispute.Dispute{}, errcode.Errorf(errcode.NotFound, "no such dispute")
	}
	return d, nil
}

// MailSent reports whether the monthly run's mail key of month m went out.
func (s *Store) MailSent(ctx context.Context, m month.Month, key string) (bool, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{AttrPK: str(mailPK(m)), AttrSK: str(mailSK(key))}})
	if err != nil {
		return false, unavailable("read mail", err)
	}
	st, _ := out.Item["state"].(*types.AttributeValueMemberS)
	return st != nil && st.Value == "sent", nil
}

func num(n int) types.AttributeValue { return &types.AttributeValueMemberN{Value: strconv.Itoa(n)} }

// AuditEntry is one step of month m's audit trail: an exclusion, or a
// dispute opened, accepted or rejected.
type AuditEntry struct {
	Key        string // the sort key: the time, the engineer, what happened
	EngineerID string
	Step       string // opened, accepted, rejected; "" for an exclusion
	Dispute    *dispute.Dispute
	Exclusion  *metric.Exclusion
}

// Audit is month m's audit trail, oldest first.
func (s *Store) Audit(ctx context.Context, m month.Month) ([]AuditEntry, error) {
	items, err := s.queryAll(ctx, auditPK(m), "")
	if err != nil {
		return nil, err
	}
	out := make([]AuditEntry, 0, len(items))
	for _, item := range items {
		var e AuditEntry
		if v, ok := item[AttrSK].(*types.AttributeValueMemberS); ok {
			e.Key = v.Value
		}
		if v, ok := item["engineer_id"].(*types.AttributeValueMemberS); ok {
			e.EngineerID = v.Value
		}
		if v, ok := item["step"].(*types.AttributeValueMemberS); ok {
			e.Step = v.Value
		}
		if b, err := binary(item, "dispute"); err == nil {
			e.Dispute = new(dispute.Dispute)
			if err := json.Unmarshal(b, e.Dispute); err != nil {
				return nil, fmt.Errorf("decode audit: %w", err)
			}
		} else if b, err := binary(item, "exclusion"); err == nil {
			e.Exclusion = new(metric.Exclusion)
			if err := json.Unmarshal(b, e.Exclusion); err != nil {
				return nil, fmt.Errorf("decode audit: %w", err)
			}
		}
		out = append(out, e)
	}
	return out, nil
}
