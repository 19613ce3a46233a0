package directory

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sampleDirectory(t *testing.T) *Directory {
	t.Helper()
	return New(mustParse(t, readFile(t, "valid.csv")))
}

func TestLookup(t *testing.T) {
	d := sampleDirectory(t)
	tests := []struct {
		name    string
		source  string
		agentID string
		wantID  string // "" = not found
	}{
		{name: "zendesk agent id", source: Zendesk, agentID: "360012346", wantID: "e-002"},
		{name: "freshdesk agent id", source: Freshdesk, agentID: "43000002", wantID: "e-003"},
		{name: "jira account id", source: Jira, agentID: "5b10ac8d82e05b22cc7d4ef5", wantID: "e-001"},
		{name: "generic agent id", source: Generic, agentID: "ann", wantID: "e-002"},
		{name: "an id is only known to its own source", source: Freshdesk, agentID: "360012346"},
		{name: "unmapped agent", source: Zendesk, agentID: "999"},
		{name: "unknown source", source: "servicenow", agentID: "ann"},
		{name: "empty agent id", source: Freshdesk, agentID: ""},
		{name: "agent ids are case-sensitive", source: Generic, agentID: "ANN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := d.Lookup(tc.source, tc.agentID)
			if ok != (tc.wantID != "") || got.ID != tc.wantID {
				t.Errorf("Lookup(%q, %q) = %q, %v; want %q", tc.source, tc.agentID, got.ID, ok, tc.wantID)
			}
			if ok && got.External[tc.source] != tc.agentID {
				t.Errorf("found engineer's %s id = %q, want %q", tc.source, got.External[tc.source], tc.agentID)
			}
		})
	}
}

func TestGet(t *testing.T) {
	d := sampleDirectory(t)
	tests := []struct {
		name     string
		id       string
		wantName string // "" = not found
	}{
		{name: "known id", id: "e-003", wantName: "王芳"},
		{name: "unknown id", id: "e-999"},
		{name: "empty id", id: ""},
		{name: "an agent id is not an engineer id", id: "ann"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := d.Get(tc.id)
			if ok != (tc.wantName != "") || got.Name != tc.wantName {
				t.Errorf("Get(%q) = %q, %v; want %q", tc.id, got.Name, ok, tc.wantName)
			}
		})
	}
}

func TestAllAndTeams(t *testing.T) {
	es := mustParse(t, readFile(t, "valid.csv"))
	reversed := []Engineer{es[3], es[2], es[1], es[0]}
	tests := []struct {
		name      string
		engineers []Engineer
		wantIDs   []string
		wantTeams []string
	}{
		{name: "All is sorted by id, Teams sorted unique", engineers: reversed, wantIDs: []string{"e-001", "e-002", "e-003", "e-004"}, wantTeams: []string{"London Desk", "Shanghai Field"}},
		{name: "an empty directory lists nothing", engineers: nil, wantIDs: nil, wantTeams: nil},
		{name: "an engineer without an id is ignored", engineers: []Engineer{{Name: "nobody", Team: "Ghosts"}}, wantIDs: nil, wantTeams: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := New(tc.engineers)
			var ids []string
			for _, e := range d.All() {
				ids = append(ids, e.ID)
			}
			if diff := cmp.Diff(tc.wantIDs, ids); diff != "" {
				t.Errorf("All ids (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantTeams, d.Teams()); diff != "" {
				t.Errorf("Teams (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNew(t *testing.T) {
	t.Run("the engineer given last wins an id and its agent ids", func(t *testing.T) {
		d := New([]Engineer{
			{ID: "e-1", Name: "old", External: map[string]string{Zendesk: "z-old", Jira: "j"}},
			{ID: "e-2", Name: "other", External: map[string]string{Jira: "j"}},
			{ID: "e-1", Name: "new", External: map[string]string{Zendesk: "z-new"}},
		})
		if e, _ := d.Get("e-1"); e.Name != "new" {
			t.Errorf("Get(e-1).Name = %q, want new", e.Name)
		}
		if _, ok := d.Lookup(Zendesk, "z-old"); ok {
			t.Error("Lookup(z-old) found the replaced engineer's agent id")
		}
		if e, _ := d.Lookup(Jira, "j"); e.ID != "e-2" {
			t.Errorf("Lookup(jira, j) = %q, want e-2", e.ID)
		}
		if e, _ := d.Lookup(Zendesk, "z-new"); e.ID != "e-1" {
			t.Errorf("Lookup(zendesk, z-new) = %q, want e-1", e.ID)
		}
	})
	t.Run("later changes to the input do not reach the directory", func(t *testing.T) {
		es := []Engineer{{ID: "e-1", External: map[string]string{Generic: "g"}}}
		d := New(es)
		es[0].External[Generic] = "changed"
		es[0].Name = "changed"
		if e, ok := d.Lookup(Generic, "g"); !ok || e.External[Generic] != "g" || e.Name != "" {
			t.Errorf("Lookup(generic, g) = %+v, %v; want the engineer as given", e, ok)
		}
	})
	t.Run("a nil External map comes back empty", func(t *testing.T) {
		d := New([]Engineer{{ID: "e-1"}})
		if e, _ := d.Get("e-1"); e.External == nil {
			t.Error("External = nil, want an empty map")
		}
	})
	t.Run("All returns a copy", func(t *testing.T) {
		d := New([]Engineer{{ID: "e-1", Team: "T"}})
		d.All()[0].ID = "changed"
		d.Teams()[0] = "changed"
		if d.All()[0].ID != "e-1" || d.Teams()[0] != "T" {
			t.Error("changing what All or Teams returned changed the directory")
		}
	})
}

func TestIdentity(t *testing.T) {
	d := Identity()
	tests := []struct {
		name    string
		source  string
		agentID string
		want    Engineer
		wantOK  bool
	}{
		{
			name: "any agent id is the engineer of that id", source: Zendesk, agentID: "360012345", wantOK: true,
			want: Engineer{ID: "360012345", Name: "360012345", External: map[string]string{"zendesk": "360012345"}},
		},
		{
			name: "from any source", source: "servicenow", agentID: "a-1", wantOK: true,
			want: Engineer{ID: "a-1", Name: "a-1", External: map[string]string{"servicenow": "a-1"}},
		},
		{name: "an empty agent id is nobody", source: Generic, agentID: ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := d.Lookup(tc.source, tc.agentID)
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Lookup (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("Get knows any non-empty id", func(t *testing.T) {
		want := Engineer{ID: "a-1", Name: "a-1", External: map[string]string{}}
		got, ok := d.Get("a-1")
		if diff := cmp.Diff(want, got); !ok || diff != "" {
			t.Errorf("Get(a-1) = %v (-want +got):\n%s", ok, diff)
		}
		if _, ok := d.Get(""); ok {
			t.Error(`Get("") found someone`)
		}
	})
	t.Run("lists no engineers and no teams", func(t *testing.T) {
		if got := d.All(); got != nil {
			t.Errorf("All() = %v, want nil", got)
		}
		if got := d.Teams(); got != nil {
			t.Errorf("Teams() = %v, want nil", got)
		}
	})
	t.Run("is one sentinel, unlike any built directory", func(t *testing.T) {
		if Identity() != d {
			t.Error("Identity() returned a different directory")
		}
		if New(nil) == d {
			t.Error("New(nil) is the Identity directory")
		}
	})
}

// The directory is built from what ParseCSV returns; a round trip through
// WriteCSV must not change what Lookup finds.
func TestLookupAfterRoundTrip(t *testing.T) {
	es := mustParse(t, readFile(t, "valid.csv"))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, es); err != nil {
		t.Fatal(err)
	}
	before, after := New(es), New(mustParse(t, buf.Bytes()))
	for _, e := range before.All() {
		for source, agentID := range e.External {
			got, ok := after.Lookup(source, agentID)
			if !ok || got.ID != e.ID {
				t.Errorf("Lookup(%q, %q) = %q, %v after a round trip; want %q", source, agentID, got.ID, ok, e.ID)
			}
		}
	}
}
