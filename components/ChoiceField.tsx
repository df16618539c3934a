import {Text, useInput} from 'ink';

type Props = {
	readonly options: readonly string[];
	readonly value: string | undefined;
	readonly focus: boolean;
	readonly onChange: (value: string) => void;
};

/** One of a few options, changed with Left and Right (or the first letter of an option). */
export function ChoiceField({options, value, focus, onChange}: Props) {
	const index = Math.max(0, options.indexOf(value ?? ''));
	useInput(
		(input, key) => {
			if (key.leftArrow || key.rightArrow) {
				const step = key.leftArrow ? -1 : 1;
				onChange(options[(index + step + options.length) % options.length]!);
				return;
			}

			if (input.length === 1 && !key.ctrl && !key.meta) {
				const letter = input.toLowerCase();
				const match = options.find(option => option.toLowerCase().startsWith(letter));
				if (match) onChange(match);
			}
		},
		{isActive: focus},
	);

	if (options.length > 4) {
		const shown = options[index] ?? '';
		return (
			<Text>
				<Text dimColor>{focus ? '◀ ' : '  '}</Text>
				<Text inverse={focus}>{shown}</Text>
				<Text dimColor>{focus ? ` ▶  ${index + 1}/${options.length}` : ''}</Text>
			</Text>
		);
	}

	return (
		<Text>
			{options.map((option, at) => (
				<Text key={option}>
					{at > 0 ? '  ' : ''}
					<Text inverse={focus && at === index} bold={at === index && value !== undefined}>
						{(at === index && value !== undefined ? '● ' : '○ ') + option}
					</Text>
				</Text>
			))}
		</Text>
	);
}
