CREATE TABLE `billing_batch` (
	`id` text PRIMARY KEY NOT NULL,
	`user` text NOT NULL,
	`series_id` text NOT NULL,
	`print_to` text NOT NULL,
	`state` text NOT NULL,
	`total` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `billing_batch_created` ON `billing_batch` (`created_at`);--> statement-breakpoint
CREATE INDEX `billing_batch_state` ON `billing_batch` (`state`);--> statement-breakpoint
CREATE TABLE `billing_batch_item` (
	`batch_id` text NOT NULL,
	`position` integer NOT NULL,
	`order_id` text NOT NULL,
	`state` text NOT NULL,
	`document_id` text,
	`number` integer,
	`message` text,
	`code` text,
	`started_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_batch_item_pk` ON `billing_batch_item` (`batch_id`,`position`);--> statement-breakpoint
CREATE INDEX `billing_batch_item_state` ON `billing_batch_item` (`state`);--> statement-breakpoint
CREATE INDEX `billing_batch_item_order` ON `billing_batch_item` (`order_id`);