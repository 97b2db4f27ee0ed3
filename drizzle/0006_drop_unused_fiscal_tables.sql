DROP TABLE `fiscal_destinatarios`;--> statement-breakpoint
DROP TABLE `fiscal_emitentes`;--> statement-breakpoint
DROP TABLE `fiscal_naturezas`;--> statement-breakpoint
DROP TABLE `fiscal_pedidos`;--> statement-breakpoint
DROP TABLE `fiscal_produtos`;--> statement-breakpoint
DROP TABLE `nfe_documents`;