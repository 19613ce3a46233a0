package demo

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// EngineersHeader is the header row WriteEngineersCSV writes: the directory
// columns of DESIGN §5 plus the engineer's mail locale.
var EngineersHeader = []string{"id", "name", "email", "team", "manager_email", "hire_date", "base_bonus",
	"zendesk_id", "freshdesk_id", "jira_account_id", "generic_id", "locale"}

// WriteEngineersCSV writes the engineer directory as CSV, header first,
// hire dates as YYYY-MM-DD; generic_id is the agent id used in the events.
func WriteEngineersCSV(w io.Writer, org Org) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(EngineersHeader); err != nil {
		return fmt.Errorf("write engineers header: %w", err)
	}
	for _, e := range org.Engineers {
		row := []string{e.ID, e.Name, e.Email, e.Team, e.ManagerEmail, e.HireDate.Format("2006-01-02"),
			strconv.FormatFloat(e.BaseBonus, 'f', -1, 64), e.ZendeskID, e.FreshdeskID, e.JiraID, e.GenericID, e.Locale}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write engineer %s: %w", e.ID, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write engineers: %w", err)
	}
	return nil
}

// WriteJSONL writes one generic-format event per line, the input of
// `scorecard score-file`.
func WriteJSONL(w io.Writer, events []Event) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range events {
		if err := enc.Encode(&events[i]); err != nil {
			return fmt.Errorf("write event %s: %w", events[i].EventID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write events: %w", err)
	}
	return nil
}
