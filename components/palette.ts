import {createContext, useContext} from 'react';

/** Whether the session draws in colour: off under NO_COLOR and --no-color. */
export const ColorContext = createContext(true);

/** A colour name when colour is on, else nothing: styles such as inverse and bold remain. */
export function useTint(): (name: string) => string | undefined {
	const isOn = useContext(ColorContext);
	return name => (isOn ? name : undefined);
}
