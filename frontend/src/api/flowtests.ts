// Flow tests (issue 16 point 4): "Save as test" turns a run into a test of
// its flow (recorded responses of outside calls replayed, no network);
// `flowbench test` runs the downloaded *.test.json beside the flow's export.
import { call } from './client'

export interface FlowTestResult { case: string; passed: boolean; failures?: string[]; duration: number }
export interface FlowTestsReport { flow: string; total: number; failed: number; results: FlowTestResult[] }
export interface TestStatus { flow: string; total: number; failed: number; ran: string; failing?: string[] }

export const flowTestsApi = {
  saveAsTest: (execId: string, name: string) => call<FlowTestsReport>('SaveExecutionAsTest', execId, name),
  run: (flowId: string) => call<FlowTestsReport>('RunFlowTests', flowId),
  statuses: () => call<Record<string, TestStatus> | null>('TestStatuses').then((r) => r ?? {}),
  remove: (flowId: string, name: string) => call<void>('DeleteFlowTest', flowId, name),
  exportFile: (flowId: string) => call<string>('ExportFlowTests', flowId),
}
