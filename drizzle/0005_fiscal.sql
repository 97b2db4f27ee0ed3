CREATE TABLE `fiscal_destinatarios` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`documento` text NOT NULL,
	`razao_social` text NOT NULL,
	`uf` text NOT NULL,
	`ie` text,
	`email` text,
	`data_json` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fiscal_destinatarios_doc` ON `fiscal_destinatarios` (`documento`);--> statement-breakpoint
CREATE INDEX `fiscal_destinatarios_nome` ON `fiscal_destinatarios` (`razao_social`);--> statement-breakpoint
CREATE TABLE `fiscal_emitentes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`documento` text NOT NULL,
	`ie` text NOT NULL,
	`uf` text NOT NULL,
	`crt` integer NOT NULL,
	`razao_social` text NOT NULL,
	`data_json` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `fiscal_emitentes_doc` ON `fiscal_emitentes` (`documento`,`ie`);--> statement-breakpoint
CREATE TABLE `fiscal_naturezas` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`descricao` text NOT NULL,
	`data_json` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `fiscal_pedidos` (
	`id` text PRIMARY KEY NOT NULL,
	`emitente_id` integer NOT NULL,
	`destinatario_id` integer,
	`status` text NOT NULL,
	`total_cents` integer NOT NULL,
	`order_json` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fiscal_pedidos_status` ON `fiscal_pedidos` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `fiscal_produtos` (
	`codigo` text PRIMARY KEY NOT NULL,
	`descricao` text NOT NULL,
	`ncm` text NOT NULL,
	`unidade` text NOT NULL,
	`codigo_anp` text,
	`data_json` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `nfe_documents` (
	`chave` text PRIMARY KEY NOT NULL,
	`pedido_id` text,
	`cnpj` text NOT NULL,
	`serie` integer NOT NULL,
	`n_nf` integer NOT NULL,
	`layout` text NOT NULL,
	`tp_emis` integer NOT NULL,
	`v_nf_cents` integer NOT NULL,
	`signed_xml` text NOT NULL,
	`model_json` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `nfe_documents_number` ON `nfe_documents` (`cnpj`,`serie`,`n_nf`);--> statement-breakpoint
CREATE INDEX `nfe_documents_pedido` ON `nfe_documents` (`pedido_id`);