import type {Case} from '../../keras/cases.js';
export function optionCases(_fixtures: string): Case[] {
  return [];
}
