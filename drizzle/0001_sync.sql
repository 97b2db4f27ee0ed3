CREATE TABLE `sync_outbox` (
	`local_seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`mutation_id` text NOT NULL,
	`collection` text NOT NULL,
	`record_id` text NOT NULL,
	`fields` text,
	`is_delete` integer NOT NULL,
	`base_seq` integer NOT NULL,
	`user` text,
	`state` text NOT NULL,
	`seq` integer,
	`code` text,
	`message` text,
	`created_at` text NOT NULL,
	`resolved_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_outbox_mutation_id_unique` ON `sync_outbox` (`mutation_id`);--> statement-breakpoint
CREATE INDEX `sync_outbox_record` ON `sync_outbox` (`collection`,`record_id`,`local_seq`);--> statement-breakpoint
CREATE INDEX `sync_outbox_state` ON `sync_outbox` (`state`,`local_seq`);--> statement-breakpoint
CREATE TABLE `sync_records` (
	`collection` text NOT NULL,
	`id` text NOT NULL,
	`data` text NOT NULL,
	`seq` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`collection`, `id`)
);
--> statement-breakpoint
CREATE TABLE `sync_staging` (
	`collection` text NOT NULL,
	`id` text NOT NULL,
	`data` text NOT NULL,
	`seq` integer NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`collection`, `id`)
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
