CREATE TABLE `finalize_journal` (
	`id` text PRIMARY KEY NOT NULL,
	`order_id` text NOT NULL,
	`step` text NOT NULL,
	`user` text NOT NULL,
	`series_id` text NOT NULL,
	`suggested` integer,
	`print_to` text NOT NULL,
	`owner_key` text NOT NULL,
	`lock_token` text,
	`alloc_request_id` text NOT NULL,
	`number` integer,
	`number_changed` integer,
	`chave` text,
	`xml_file` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `finalize_journal_open` ON `finalize_journal` (`step`);--> statement-breakpoint
CREATE UNIQUE INDEX `finalize_journal_live_order` ON `finalize_journal` (`order_id`) WHERE step not in ('done', 'abandoned');--> statement-breakpoint
ALTER TABLE `sefaz_documents` ADD `lease_owner` text;