/**
 * The report of a Prepare keys run as it grows, as a table — every column of the report file but
 * the PINs, which main never sends — and its exports: CSV, JSON Lines, Entra ID's key
 * restriction policy. Main writes each file (PINs included, readable by the account only) where
 * the shell's Save dialog says; without a shell, next to the report.
 * @module
 */
import { Button, makeStyles, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { ArrowExportRegular, ShieldKeyholeRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';
import type { PublicRecord, Result, SavePurpose, ServiceError } from '../../../main/ipc/contract.js';
import type { RunState } from '../../app/use-provisioning.js';
import { skm } from '../../app/skm.js';
import { t } from '../../app/words.js';
import { ErrorBar } from '../../components/ErrorBar.js';
import { errorText, rejectionText, stepsText } from './outcome-text.js';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  toolbar: { display: 'flex', gap: '8px', flexWrap: 'wrap', marginTop: '12px' },
  help: { color: tokens.colorNeutralForeground2, display: 'block', marginTop: '4px' },
  written: { display: 'block', marginBottom: '8px' },
  path: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
});

const COLUMNS = ['label', 'model', 'steps', 'result', 'error', 'time'] as const;

/** The folder part of a path as the OS wrote it (the renderer has no path API, and needs none). */
function besideReport(reportPath: string, name: string): string {
  return reportPath.replace(/[^\\/]*$/, '') + name;
}

function baseName(reportPath: string): string {
  return (reportPath.match(/[^\\/]*$/)?.[0] ?? 'report').replace(/\.[^.]*$/, '') || 'report';
}

function problem(record: PublicRecord, state: RunState): string {
  if (record.result === 'rejected') return rejectionText(record, state.rejections[record.identity]);
  return errorText(record.error);
}

/** The report's word for a record: a key still being worked on in this run is "in progress", not yet "incomplete". */
function resultText(record: PublicRecord, working: ReadonlySet<string>): string {
  if (record.result === 'incomplete' && working.has(record.label)) return t('prepare.report.results.inProgress');
  return t(`prepare.report.results.${record.result}`);
}

export function ReportTable({ state, reportPath, withPins }: { state: RunState; reportPath: string; withPins: boolean }): ReactNode {
  const styles = useStyles();
  const [error, setError] = useState<ServiceError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const written = state.summary?.reportPath ?? reportPath;

  const save = async (purpose: SavePurpose, suggestedName: string, write: (path: string) => Promise<Result<{ path: string }>>): Promise<void> => {
    setError(null);
    setSaved(null);
    const chosen = await skm().chooseSavePath({ purpose, suggestedName });
    let path: string;
    if (chosen.ok) {
      if (chosen.value.path === null) return;
      path = chosen.value.path;
    } else if (chosen.error.code === 'UNSUPPORTED') {
      path = besideReport(written, suggestedName);
    } else {
      setError(chosen.error);
      return;
    }
    const result = await write(path);
    if (result.ok) setSaved(result.value.path);
    else setError(result.error);
  };

  const base = baseName(written);
  const exportable = state.records.length > 0;
  const working = new Set(state.keys.filter((k) => (k.state === 'working' || k.state === 'identifying') && k.label !== null).map((k) => k.label!));
  return (
    <>
      {written ? (
        <Text className={styles.written}>
          {withPins ? t('prepare.report.written') : t('prepare.report.writtenNoPins')} <span className={styles.path}>{written}</span>
        </Text>
      ) : null}
      {state.records.length === 0 ? (
        <Text>{t('prepare.report.empty')}</Text>
      ) : (
        <div className={styles.scroll}>
          <Table size="small" aria-label={t('prepare.report.tableLabel')}>
            <TableHeader>
              <TableRow>
                {COLUMNS.map((column) => (
                  <TableHeaderCell key={column}>{t(`prepare.report.columns.${column}`)}</TableHeaderCell>
                ))}
              </TableRow>
            </TableHeader>
            <TableBody>
              {state.records.map((record) => (
                <TableRow key={record.identity}>
                  <TableCell>{record.label}</TableCell>
                  <TableCell>{record.model}</TableCell>
                  <TableCell>{stepsText(record.steps)}</TableCell>
                  <TableCell>{resultText(record, working)}</TableCell>
                  <TableCell>{problem(record, state)}</TableCell>
                  <TableCell>{new Date(record.time).toLocaleTimeString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {saved ? (
        <MessageBar intent="success" style={{ marginTop: 8 }}>
          <MessageBarBody>{t('prepare.report.exported', { path: saved })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.toolbar}>
        <Button icon={<ArrowExportRegular />} disabled={!exportable} onClick={() => void save('export-csv', `${base}-export.csv`, (path) => skm().exportProvisionReport({ path, format: 'csv' }))}>
          {t('prepare.report.exportCsv')}
        </Button>
        <Button icon={<ArrowExportRegular />} disabled={!exportable} onClick={() => void save('export-jsonl', `${base}-export.jsonl`, (path) => skm().exportProvisionReport({ path, format: 'jsonl' }))}>
          {t('prepare.report.exportJsonl')}
        </Button>
        <Button icon={<ShieldKeyholeRegular />} disabled={!exportable} onClick={() => void save('policy', `${base}-entra-policy.json`, (path) => skm().exportEntraPolicy({ path }))}>
          {t('prepare.report.entraPolicy')}
        </Button>
      </div>
      <Text size={200} className={styles.help}>
        {t('prepare.report.entraHelp')}
      </Text>
    </>
  );
}
