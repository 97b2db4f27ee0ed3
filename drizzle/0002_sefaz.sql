CREATE TABLE `sefaz_documents` (
	`chave` text PRIMARY KEY NOT NULL,
	`cnpj` text NOT NULL,
	`mod` text NOT NULL,
	`serie` integer NOT NULL,
	`n_nf` integer NOT NULL,
	`state` text NOT NULL,
	`signed_xml` text NOT NULL,
	`n_rec` text,
	`c_stat` text,
	`x_motivo` text,
	`n_prot` text,
	`dh_recbto` text,
	`proc_path` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`ambiguous_until` integer,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sefaz_documents_due` ON `sefaz_documents` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `sefaz_documents_live_number` ON `sefaz_documents` (`cnpj`,`mod`,`serie`,`n_nf`) WHERE state not in ('rejected', 'superseded');--> statement-breakpoint
CREATE TABLE `sefaz_events` (
	`chave` text NOT NULL,
	`tp_evento` text NOT NULL,
	`n_seq_evento` integer NOT NULL,
	`state` text NOT NULL,
	`signed_xml` text NOT NULL,
	`x_correcao` text,
	`c_stat` text,
	`x_motivo` text,
	`n_prot` text,
	`proc_path` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`chave`, `tp_evento`, `n_seq_evento`)
);
--> statement-breakpoint
CREATE TABLE `sefaz_inutilizacoes` (
	`id` text PRIMARY KEY NOT NULL,
	`cnpj` text NOT NULL,
	`mod` text NOT NULL,
	`serie` integer NOT NULL,
	`n_nf_ini` integer NOT NULL,
	`n_nf_fin` integer NOT NULL,
	`state` text NOT NULL,
	`signed_xml` text NOT NULL,
	`c_stat` text,
	`x_motivo` text,
	`n_prot` text,
	`proc_path` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sefaz_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chave` text,
	`service` text NOT NULL,
	`at` text NOT NULL,
	`elapsed_ms` integer NOT NULL,
	`outcome` text NOT NULL,
	`c_stat` text,
	`x_motivo` text,
	`n_prot` text,
	`error` text
);
--> statement-breakpoint
CREATE INDEX `sefaz_messages_chave` ON `sefaz_messages` (`chave`,`id`);