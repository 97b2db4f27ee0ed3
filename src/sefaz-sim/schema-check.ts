import { AppError } from '../core/errors';
import { validateXml, type SchemaLayout } from '../core/fiscal/schema-validate';
import type { SchemaCheck } from './services';

/** Schema check over the configured official package; malformed XML counts as a schema failure. */
export function schemaCheckFor(schemasDir: string, layout: SchemaLayout): SchemaCheck {
  return (entry, xml) => {
    try {
      const r = validateXml(xml, { schemasDir, layout, schemaFile: entry });
      return r.valid ? null : r.issues.map((i) => i.message).join(' ').slice(0, 200);
    } catch (err) {
      if (err instanceof AppError) return err.message.slice(0, 200);
      throw err;
    }
  };
}
