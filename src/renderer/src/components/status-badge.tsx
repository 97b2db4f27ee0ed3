import type { StatusColor } from '../../../shared/api/index';

const COLOR_NAMES: Record<StatusColor, string> = { green: 'verde', yellow: 'amarelo', red: 'vermelho', grey: 'cinza' };

/** The document's colour and label as the core decided them (DTO color/statusLabel). */
export function StatusBadge({ color, label, testId }: { color: StatusColor; label: string; testId?: string }) {
  return (
    <span className={`badge badge-${color}`} data-testid={testId} data-color={color} title={`${label} (${COLOR_NAMES[color]})`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </span>
  );
}
