// The Opsdeck datasource's backend: Grafana starts this executable (gpx_opsdeck_ops_datasource_<os>_<arch>)
// and talks to it over gRPC through hashicorp go-plugin; datasource.Manage does the handshake, one
// instance per datasource configuration, and the SDK's logging, tracing and metrics.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/opsdeck/opsdeck/pkg/plugin"
)

func main() {
	if err := datasource.Manage(plugin.PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("the Opsdeck datasource backend stopped", "error", err.Error())
		os.Exit(1)
	}
}
