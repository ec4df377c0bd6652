package plugin

// What the datasource shares with the app and the API, read from contract.gen.json: the file is
// generated from src/contract (vocabulary.ts, endpoints.ts, links.ts) and held fresh by
// src/contract/go-contract.test.ts, so state words and colours, API paths and app links are written
// once for TypeScript and Go. Embedded, so the binary needs no file at run time.

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

//go:embed contract.gen.json
var contractJSON []byte

type contractTerm struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Color string `json:"color"`
}

type contractEndpoint struct {
	Method string `json:"method"`
	Path   string `json:"path"`
}

type sharedContract struct {
	Plugins      struct{ App, Datasource string } `json:"plugins"`
	Vocabularies map[string][]contractTerm        `json:"vocabularies"`
	Endpoints    map[string]contractEndpoint      `json:"endpoints"`
	Links        map[string]string                `json:"links"`
}

// contract is parsed once at start-up; a broken embedded file is a build defect, so it panics (and
// every test of the package fails) rather than serving frames without mappings.
var contract = mustParseContract(contractJSON)

func mustParseContract(raw []byte) sharedContract {
	var parsed sharedContract
	if err := json.Unmarshal(raw, &parsed); err != nil {
		panic(fmt.Sprintf("contract.gen.json: %v", err))
	}
	return parsed
}

// vocabularyMappings is a ValueToText mapping of one state table, in the table's order (the index
// orders them in the UI).
func vocabularyMappings(name string) data.ValueMappings {
	terms, ok := contract.Vocabularies[name]
	if !ok {
		panic("contract.gen.json has no vocabulary " + name)
	}
	mapper := data.ValueMapper{}
	for index, term := range terms {
		mapper[term.Value] = data.ValueMappingResult{Text: term.Label, Color: term.Color, Index: index}
	}
	return data.ValueMappings{mapper}
}

// endpointPath is the path of a parameterless API endpoint, by its name in src/contract/endpoints.ts.
func endpointPath(name string) string {
	endpoint, ok := contract.Endpoints[name]
	if !ok {
		panic("contract.gen.json has no endpoint " + name)
	}
	return endpoint.Path
}

// appLink is an app page as a Grafana data-link template (incident, runbook, approval, investigate).
func appLink(name string) string {
	link, ok := contract.Links[name]
	if !ok {
		panic("contract.gen.json has no link " + name)
	}
	return link
}

// apiPaths are the API endpoints the datasource calls, resolved at start-up so a name missing from
// contract.gen.json fails every test of the package instead of one query at run time.
var apiPaths = struct {
	Readyz        string
	SloStatus     string
	ListIncidents string
	ListApprovals string
	ListRunbooks  string
	ListAudit     string
	OpsOverview   string
	OnCallNow     string
	Kpis          string
}{
	Readyz:        endpointPath("readyz"),
	SloStatus:     endpointPath("sloStatus"),
	ListIncidents: endpointPath("listIncidents"),
	ListApprovals: endpointPath("listApprovals"),
	ListRunbooks:  endpointPath("listRunbooks"),
	ListAudit:     endpointPath("listAudit"),
	OpsOverview:   endpointPath("opsOverview"),
	OnCallNow:     endpointPath("onCallNow"),
	Kpis:          endpointPath("kpis"),
}
