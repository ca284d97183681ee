/** The run pages: {@code /runs} lists recent runs, {@code /runs/{workflowId}} shows one live. */
package dev.lifecycle.worker.web;
