// Deliberately bad: a Node-only package in the renderer.
import Database from 'better-sqlite3';
export const value = Database;
