// Package grafanahost plays Grafana's side of a backend plugin: it launches the plugin executable
// with hashicorp go-plugin and the SDK's handshake (grafana_plugin_type=datasource, protocol 2) over
// gRPC, dispenses the data, diagnostics and resource services as Grafana's plugin manager does, and
// converts requests and answers with the SDK's protobuf converters. Used by the protocol test
// (pkg/protocol) and by the browser suite's /api/ds/query bridge (pkg/cmd/dsbridge).
package grafanahost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
)

// Handshake is the SDK's handshake config (grpcplugin keeps its own copy unexported).
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// Plugin is a running backend plugin process.
type Plugin struct {
	client      *goplugin.Client
	data        grpcplugin.DataClient
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
}

// Start launches executable and connects to it; logs (the plugin's stderr, structured) go to logOut.
func Start(executable string, logOut io.Writer) (*Plugin, error) {
	if _, err := os.Stat(executable); err != nil {
		return nil, fmt.Errorf("plugin executable: %w", err)
	}
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: {
			"data":        &grpcplugin.DataGRPCPlugin{},
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
		}},
		Cmd:              exec.Command(executable),
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: logOut, Level: hclog.Info}),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("go-plugin handshake: %w", err)
	}
	plugin := &Plugin{client: client}
	for name, target := range map[string]any{"data": &plugin.data, "diagnostics": &plugin.diagnostics, "resource": &plugin.resource} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
		if err := assign(target, raw); err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %s: %w", name, err)
		}
	}
	return plugin, nil
}

func assign(target any, raw any) error {
	switch t := target.(type) {
	case *grpcplugin.DataClient:
		client, ok := raw.(grpcplugin.DataClient)
		*t = client
		return okOr(ok)
	case *grpcplugin.DiagnosticsClient:
		client, ok := raw.(grpcplugin.DiagnosticsClient)
		*t = client
		return okOr(ok)
	case *grpcplugin.ResourceClient:
		client, ok := raw.(grpcplugin.ResourceClient)
		*t = client
		return okOr(ok)
	}
	return errors.New("unknown service")
}

func okOr(ok bool) error {
	if !ok {
		return errors.New("the plugin answered another service type")
	}
	return nil
}

// Stop ends the plugin process (go-plugin asks it to exit, then kills it).
func (p *Plugin) Stop() { p.client.Kill() }

// Exited says whether the process has ended.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// QueryData is Grafana's /api/ds/query call into the plugin.
func (p *Plugin) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	answer, err := p.data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
	if err != nil {
		return nil, err
	}
	return backend.FromProto().QueryDataResponse(answer)
}

// CheckHealth is Save & test.
func (p *Plugin) CheckHealth(ctx context.Context, pc backend.PluginContext) (*backend.CheckHealthResult, error) {
	answer, err := p.diagnostics.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: backend.ToProto().PluginContext(pc)})
	if err != nil {
		return nil, err
	}
	return backend.FromProto().CheckHealthResponse(answer), nil
}

// CallResource is /api/datasources/uid/<uid>/resources/<path>: the first answer's status and headers,
// with the bodies of every streamed chunk joined.
func (p *Plugin) CallResource(ctx context.Context, req *backend.CallResourceRequest) (*backend.CallResourceResponse, error) {
	stream, err := p.resource.CallResource(ctx, backend.ToProto().CallResourceRequest(req))
	if err != nil {
		return nil, err
	}
	var result *backend.CallResourceResponse
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		part := backend.FromProto().CallResourceResponse(chunk)
		if result == nil {
			result = part
		} else {
			result.Body = append(result.Body, part.Body...)
		}
	}
	if result == nil {
		return nil, errors.New("the plugin sent no resource answer")
	}
	return result, nil
}
