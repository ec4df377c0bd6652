import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { CollapsableSection, Text, useStyles2 } from '@grafana/ui';

import type { FleetRow } from '../../../contract/overview';
import { SeverityBadge } from '../../components/badges';
import { EmptyNote } from '../../components/states';
import { dataTableStyle } from '../../components/tableStyle';
import { testIds } from '../../testIds';
import { formatPercent } from '../../utils/format';

const KIND_LABEL = { host_role: 'Host role', service: 'Service' } as const;

/** Section 5: per host role and per service, collapsed by default (detail, not decision). */
export function FleetDetail({ rows }: { rows: FleetRow[] }) {
  const s = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  return (
    <section
      className={s.section}
      data-testid={testIds.ops.section}
      data-section="fleet_detail"
      aria-labelledby="ops-section-fleet_detail"
    >
      <CollapsableSection
        isOpen={open}
        onToggle={setOpen}
        label={
          <Text element="h2" variant="h4" id="ops-section-fleet_detail">
            Fleet and sample detail
          </Text>
        }
      >
        {rows.length === 0 ? (
          <EmptyNote>No host role or service has reported yet.</EmptyNote>
        ) : (
          <table className={s.table} data-testid={testIds.ops.fleetTable}>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Open incidents</th>
                <th scope="col">Firing alerts</th>
                <th scope="col">Worst severity</th>
                <th scope="col">Requests</th>
                <th scope="col">Error ratio</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.kind}:${row.key}`}>
                  <td>{KIND_LABEL[row.kind]}</td>
                  <td>
                    <code>{row.key}</code>
                  </td>
                  <td>{row.open_incidents}</td>
                  <td>{row.firing_alerts}</td>
                  <td>{row.worst_severity ? <SeverityBadge severity={row.worst_severity} /> : '—'}</td>
                  <td>{row.requests ?? '—'}</td>
                  <td>{row.requests && row.errors !== null ? formatPercent(row.errors / row.requests, 1) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </CollapsableSection>
    </section>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  section: css({ marginBottom: theme.spacing(4) }),
  table: css(dataTableStyle(theme), { fontVariantNumeric: 'tabular-nums' }),
});
