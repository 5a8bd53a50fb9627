/** testBadge is the short text and tone of a flow's test status ('' when it has no tests). */
export function testBadge(total: number, failed: number): { text: string; tone: 'ok' | 'bad' | '' } {
  if (!total) return { text: '', tone: '' }
  if (failed) return { text: `✗ ${failed} of ${total} test${total === 1 ? '' : 's'} failing`, tone: 'bad' }
  return { text: `✓ ${total} test${total === 1 ? '' : 's'} pass${total === 1 ? 'es' : ''}`, tone: 'ok' }
}

/** testFileName is the name `flowbench test` pairs with the flow's export. */
export function testFileName(flowName: string): string {
  return `${flowName}.test.json`
}
