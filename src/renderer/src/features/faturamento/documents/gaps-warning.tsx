import { call } from '../../../api';
import { Notice } from '../../../components/notice';
import { useApiQuery } from '../../../hooks/use-api-query';
import { formatDate } from '../../../lib/dates';

export function ranges(numbers: number[]): string {
  const sorted = [...numbers].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]} a ${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Before the first note of the day, numbers skipped on earlier days must be inutilizados
 * by the 10th of the following month (Ajuste SINIEF 07/05, cláusula décima quarta).
 */
export function GapsWarning() {
  const gaps = useApiQuery(() => call('documents.gaps'), '', 'Não foi possível verificar a numeração', { events: ['documents.changed'] });
  if (gaps.error) return <Notice kind="error">{gaps.error}</Notice>;
  const g = gaps.data;
  if (!g?.firstOfDay || g.gaps.length === 0) return null;
  return (
    <Notice kind="warn">
      <div data-testid="gaps-warning">
        <strong>Atenção: há números pulados em dias anteriores.</strong> Não emita novas notas sem antes resolver a sequência: estes números
        devem ser inutilizados (Administração › Séries) até o prazo indicado.
        <ul>
          {g.gaps.map((x) => (
            <li key={`${x.model}-${x.serie}`}>
              {x.model === 57 ? 'CT-e' : 'NF-e'} série {x.serie}: números {ranges(x.numbers)} — inutilizar até <strong>{formatDate(x.deadline)}</strong>
            </li>
          ))}
        </ul>
      </div>
    </Notice>
  );
}
