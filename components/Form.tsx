import React, {memo, useRef} from 'react';
import {Box, Text} from 'ink';
import type {FieldErrors} from '../src/draft.js';
import {truncate} from '../src/text-layout.js';
import {errorsByStop, type Stop} from '../src/wizard.js';
import {ChoiceField} from './ChoiceField.js';
import {FieldView} from './TextField.js';
import {useTint} from './palette.js';

type Props = {
	readonly stops: readonly Stop[];
	readonly values: readonly string[];
	readonly focused: number;
	/** Cursor in the focused field; undefined puts it at the end. */
	readonly cursor: number | undefined;
	readonly errors: FieldErrors;
	readonly width: number;
	readonly height: number;
};

type Item =
	| {readonly type: 'header'; readonly label: string; readonly stop: number}
	| {readonly type: 'stop'; readonly stop: number; readonly height: number}
	| {readonly type: 'error'; readonly stop: number; readonly message: string};

const textRows = 5;

/** Columns of the label column at a given form width. */
function labelWidthFor(width: number): number {
	return Math.min(22, Math.max(8, Math.floor(width / 4)));
}

/** Columns a field's text gets at a given form width. */
export function fieldWidthFor(width: number): number {
	return Math.max(4, width - labelWidthFor(width) - 2);
}

/** Lays the stops out as lines: group headings, one line per value, errors beneath. */
function layout(
	stops: readonly Stop[],
	values: readonly string[],
	focused: number,
	errors: FieldErrors,
): Item[] {
	const items: Item[] = [];
	const messages = errorsByStop(stops, errors);
	stops.forEach((stop, index) => {
		const previous = stops[index - 1];
		const grouped = stop.list !== undefined;
		if (grouped && previous?.group !== stop.group) {
			items.push({type: 'header', label: stop.groupLabel, stop: index});
		}

		const height =
			stop.kind === 'text' && index === focused
				? Math.min(textRows, Math.max(2, lineCount(values[index] ?? '', textRows) + 1))
				: 1;
		items.push({type: 'stop', stop: index, height});
		const message = messages.get(index);
		if (message) items.push({type: 'error', stop: index, message});
	});
	return items;
}

/** The fields of one screen, scrolled so that the focused one is always in view. */
export function Form({stops, values, focused, cursor, errors, width, height}: Props) {
	const tint = useTint();
	const items = layout(stops, values, focused, errors);
	const topRef = useRef(0);
	const heights = items.map(item => (item.type === 'stop' ? item.height : 1));
	const starts: number[] = [];
	let total = 0;
	for (const h of heights) {
		starts.push(total);
		total += h;
	}

	// The focused stop with its heading and error in view, moving the window as little as possible.
	const first = items.findIndex(item => item.stop === focused);
	let last = first;
	while (last + 1 < items.length && items[last + 1]!.stop === focused) last++;
	const wantTop = first >= 0 ? starts[first]! : 0;
	const wantBottom = last >= 0 ? starts[last]! + heights[last]! : 0;
	let top = Math.min(topRef.current, Math.max(0, total - height));
	if (wantTop < top) top = wantTop;
	if (wantBottom > top + height) top = wantBottom - height;
	topRef.current = top;

	const labelWidth = labelWidthFor(width);
	const rows: React.ReactNode[] = [];
	items.forEach((item, index) => {
		const start = starts[index]!;
		if (start < top || start + heights[index]! > top + height) return;
		const stop = stops[item.stop]!;
		if (item.type === 'header') {
			rows.push(
				<Text key={`h${index}`} bold wrap="truncate">
					{item.label ? truncate(item.label, width) : ' '}
				</Text>,
			);
			return;
		}

		if (item.type === 'error') {
			rows.push(
				<Text key={`e${index}`} color={tint('red')} wrap="truncate">
					{truncate(`  ✗ ${item.message}`, width)}
				</Text>,
			);
			return;
		}

		const isFocused = item.stop === focused;
		const indent = stop.list ? 2 : 0;
		const value = values[item.stop] ?? '';
		const label = truncate(stop.label, labelWidth - indent - 1).padEnd(labelWidth - indent - 1);
		rows.push(
			<StopRow
				key={`s${index}`}
				prefix={`${' '.repeat(indent)}${isFocused ? '›' : ' '}${label} `}
				labelColor={isFocused ? tint('cyan') : undefined}
				kind={stop.kind}
				options={stop.options}
				value={value}
				cursor={isFocused ? Math.min(cursor ?? value.length, value.length) : 0}
				focus={isFocused}
				placeholder={stop.placeholder}
				optional={stop.optional}
				width={width}
				fieldWidth={fieldWidthFor(width)}
				height={item.height}
			/>,
		);
	});

	return (
		<Box flexDirection="column" height={height} width={width}>
			{rows}
		</Box>
	);
}

/** The lines of a value, counted up to `enough`. */
function lineCount(value: string, enough: number): number {
	let count = 1;
	for (
		let at = value.indexOf('\n');
		at !== -1 && count < enough;
		at = value.indexOf('\n', at + 1)
	) {
		count++;
	}

	return count;
}

function firstLine(value: string, placeholder = ''): string {
	if (!value) return placeholder;
	const lines = value.split('\n');
	return lines.length > 1 ? `${lines[0]} (+${lines.length - 1} lines)` : value;
}

type StopRowProps = {
	/** The marker and the label, padded to the label column. */
	readonly prefix: string;
	readonly labelColor: string | undefined;
	readonly kind: Stop['kind'];
	readonly options: Stop['options'];
	readonly value: string;
	readonly cursor: number;
	readonly focus: boolean;
	readonly placeholder: string | undefined;
	readonly optional: boolean | undefined;
	readonly width: number;
	readonly fieldWidth: number;
	readonly height: number;
};

/**
 * One stop's line: its label and its value. Memoised: a key redraws the row it changed and
 * leaves the others as they were.
 */
const StopRow = memo(function StopRow(props: StopRowProps) {
	const {prefix, labelColor, kind, options, value, cursor, focus, width, fieldWidth, height} =
		props;
	return (
		<Box height={height} width={width}>
			<Text color={labelColor} wrap="truncate">
				{prefix}
			</Text>
			{kind === 'choice' ? (
				<ChoiceField options={options ?? []} value={value || undefined} focus={focus} />
			) : kind === 'text' && !focus ? (
				<Text wrap="truncate" dimColor={!value}>
					{truncate(firstLine(value, props.placeholder), fieldWidth)}
				</Text>
			) : (
				<FieldView
					value={value}
					cursor={cursor}
					focus={focus}
					multiline={kind === 'text'}
					placeholder={props.placeholder ?? (props.optional ? '(optional)' : '')}
					width={fieldWidth}
					height={height}
				/>
			)}
		</Box>
	);
});
